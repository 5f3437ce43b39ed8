"""The audit log: who did what to what, when and from where. Rows are only ever added."""
