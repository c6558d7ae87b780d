"""kyosei-helper — Streamlit entry point.

For now a single page: load an answers file and see the results the rules give. The guided
questionnaire comes next. The page only asks, shows and downloads; the rules decide.
"""

from __future__ import annotations

import streamlit as st

from helper.answers import AnswersError, parse_answers
from helper.engine import evaluate
from helper.municipality import get as municipality
from helper.rules.loader import RuleBase, load_rules

BADGE = {"eligible": ":green[eligible]", "not_eligible": ":red[not eligible]", "uncertain": ":orange[uncertain]"}


@st.cache_resource  # immutable, shared by all sessions; holds no personal data
def rules() -> RuleBase:
    return load_rules()


st.set_page_config(page_title="kyosei-helper", page_icon="🤝", layout="centered")
st.title("kyosei-helper 共生")
st.write("Which public support can a foreign resident in Japan get — public assistance (生活保護), "
         "National Health Insurance (国民健康保険), public housing (公営住宅) and the alternatives — and why.")

upload = st.file_uploader("Answers file (JSON or YAML)", type=["json", "yaml", "yml"], max_upload_size=1)
if upload is not None:
    try:
        answers = parse_answers(upload.getvalue().decode("utf-8", errors="strict"))
        if answers.municipality and municipality(answers.municipality) is None:
            raise AnswersError("municipality", "unknown municipality code")
    except (AnswersError, UnicodeDecodeError) as exc:
        st.error(f"This file cannot be used: {exc}")
    else:
        result = evaluate(answers, rules())
        place = result["municipality"]
        st.caption(f"Rules as of {result['as_of']} · {place['name'] or 'no municipality given'}"
                   + (f" · {place['note']}" if place.get("note") else ""))
        for r in result["results"]:
            with st.expander(f"{r['title']} ({r['title_ja']}): {BADGE[r['outcome']]}",
                             expanded=r["group"] == "core"):
                for reason in r["reasons"]:
                    st.write(reason["text"])
                    st.caption(" · ".join(reason["sources"]))
                if r.get("missing_facts"):
                    st.write("Would be settled by: " + ", ".join(r["missing_facts"]))
                for step in r["next_steps"]:
                    st.write(f"→ {step['text']}" + (f" 「{step['ja']}」" if step.get("ja") else ""))
                for w in r["warnings"]:
                    st.warning(w["text"])
