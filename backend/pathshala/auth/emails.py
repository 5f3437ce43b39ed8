"""The words of the mails the auth feature sends (plain text and HTML)."""

from __future__ import annotations

from markupsafe import escape


def password_reset_mail(name: str, link: str, *, invite: bool) -> tuple[str, str, str]:
    if invite:
        subject = "Set your Pathshala password"
        opening = "An account has been created for you on Pathshala. Choose a password to sign in:"
    else:
        subject = "Reset your Pathshala password"
        opening = (
            "Someone asked to reset the password of your Pathshala account. To choose a new one:"
        )
    closing = (
        "The link works once and expires in one hour. "
        "If you did not ask for this, you can ignore this mail."
    )
    text = f"Hello {name},\n\n{opening}\n\n{link}\n\n{closing}\n"
    html = (
        f"<p>Hello {escape(name)},</p><p>{escape(opening)}</p>"
        f'<p><a href="{escape(link)}">{escape(link)}</a></p><p>{escape(closing)}</p>'
    )
    return subject, text, html
