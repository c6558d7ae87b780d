"""Page styling: right-to-left layout, large touch targets, and an A4 print view.

Streamlit has no right-to-left support; these rules set the direction on text containers (the
``data-testid`` selectors are Streamlit's, checked with 1.67). Only our own CSS is injected; no
user text ever goes through ``st.html``.
"""

from __future__ import annotations

import streamlit as st

_TEXT = ("[data-testid='stMarkdownContainer'],[data-testid='stCaptionContainer'],[data-testid='stWidgetLabel'],"
         "[data-testid='stAlertContentInfo'],[data-testid='stAlertContentWarning'],[data-testid='stHeading'],"
         "[data-testid='stExpander'],[data-testid='stRadio'],[data-testid='stTextInput'],"
         "[data-testid='stNumberInput'],[data-testid='stProgress'],[data-testid='stButtonGroup']")

# ``<html dir="rtl">`` is set for screen readers and the browser, but Streamlit's frame (its sidebar slides
# out of sight with a left-to-right transform) is kept left to right: only the text inside turns.
RTL = ("<style>[data-testid='stApp']{direction:ltr}"
       f"[data-testid='stMain'] :is({_TEXT}){{direction:rtl;text-align:right}}"
       f"[data-testid='stMain'] :is({_TEXT}) :is(p,li,label,h1,h2,h3,span){{unicode-bidi:plaintext}}"
       "[data-testid='stMain'] [data-testid='stHorizontalBlock']{flex-direction:row-reverse}</style>")

BASE = """<style>
[data-testid='stCaptionContainer']{color:#595857;opacity:1}
[data-testid='stMain'] :is([data-testid='stCaptionContainer'],[data-testid='stMarkdownContainer']) a{color:#1f4fb5}
[data-testid='stMain'] button{min-height:2.9rem}
[data-testid='stRadio'] label{padding:.35rem .25rem;font-size:1.05rem}
.kh-ja{font-size:1.25rem}
@media (max-width: 640px){[data-testid='stMain'] .block-container{padding:4.25rem .6rem 2rem}}
@page{size:A4;margin:12mm}
@media print{
  [data-testid='stSidebar'],[data-testid='stHeader'],[data-testid='stToolbar'],button,
  [data-testid='stFileUploader']{display:none !important}
  [data-testid='stMain'] .block-container{max-width:none;padding:0}
  [data-testid='stExpander'] details{border:none}
  body{font-size:10.5pt}
}
</style>"""


# The document's language and direction follow the chosen language (screen readers pick their voice and
# browsers their fonts and line breaking from ``<html lang>``), and number fields ask phones for the digit
# keyboard. Streamlit renders both the page and the inputs, so a small script sets the attributes and keeps
# them set as Streamlit re-renders. ``lang`` and ``dir`` are our own codes, never user text.
_SCRIPT = """<script>(() => {{
window.khLang = ["{lang}", "{dir}"];
const numeric = () => {{
  const root = document.documentElement;  // kept set: Streamlit may write its own lang after us
  if (root.lang !== window.khLang[0]) root.lang = window.khLang[0];
  if (root.dir !== window.khLang[1]) root.dir = window.khLang[1];
  document.querySelectorAll(
  "[class*='st-key-'][class*='postal'] input, [data-testid='stNumberInputField']").forEach(i => {{
    if (i.inputMode !== "numeric") i.inputMode = "numeric"; }});
}};
numeric();
if (!window.khNumeric) {{
  window.khNumeric = new MutationObserver(numeric);
  window.khNumeric.observe(document.body, {{childList: true, subtree: true}});
  window.khNumeric.observe(document.documentElement, {{attributes: true, attributeFilter: ["lang", "dir"]}});
}}
}})();</script>"""


def html_lang(code: str) -> str:
    """The BCP 47 tag for ``<html lang>``: やさしい日本語 is Japanese (``ja``), the rest as they are."""
    return code.split("@")[0]


def apply(rtl: bool, code: str = "ja") -> None:
    st.html(BASE + (RTL if rtl else ""))
    st.html(_SCRIPT.format(lang=html_lang(code), dir="rtl" if rtl else "ltr"), unsafe_allow_javascript=True)
