"""Course and lesson text is Markdown written by teachers and read by everyone: raw HTML is
escaped and unsafe link schemes (javascript:, vbscript:, file:) are refused, so a script tag
in a description is shown as text, never run."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt


@cache
def _renderer() -> MarkdownIt:
    renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    renderer.enable(["table", "strikethrough"])

    def safe_link_open(tokens, idx, options, env):
        tokens[idx].attrSet("rel", "nofollow noopener noreferrer")
        tokens[idx].attrSet("target", "_blank")
        return renderer.renderer.renderToken(tokens, idx, options, env)

    renderer.add_render_rule("link_open", safe_link_open)
    return renderer


def render(text: str) -> str:
    return _renderer().render(text or "")
