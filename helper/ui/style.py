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
         "[data-testid='stNumberInput']")

RTL = (f"<style>[data-testid='stMain'] :is({_TEXT}){{direction:rtl;text-align:right}}"
       f"[data-testid='stMain'] :is({_TEXT}) :is(p,li,label,h1,h2,h3,span){{unicode-bidi:plaintext}}"
       "[data-testid='stMain'] [data-testid='stHorizontalBlock']{flex-direction:row-reverse}</style>")

BASE = """<style>
[data-testid='stMain'] button{min-height:2.9rem}
[data-testid='stRadio'] label{padding:.35rem .25rem;font-size:1.05rem}
.kh-ja{font-size:1.25rem}
@media (max-width: 640px){[data-testid='stMain'] .block-container{padding:1rem .6rem}}
@page{size:A4;margin:12mm}
@media print{
  [data-testid='stSidebar'],[data-testid='stHeader'],[data-testid='stToolbar'],button,
  [data-testid='stFileUploader']{display:none !important}
  [data-testid='stMain'] .block-container{max-width:none;padding:0}
  [data-testid='stExpander'] details{border:none}
  body{font-size:10.5pt}
}
</style>"""


def apply(rtl: bool) -> None:
    st.html(BASE + (RTL if rtl else ""))
