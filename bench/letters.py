"""Benchmarks for the letters (issue 4). Prints one ``name: value unit`` line per figure.

Targets (issue 8): the bilingual PDF in a median of 150 ms after warm-up and at most 150 KB — for the 生活保護
application of a 永住者 in 淀川区 with its Burmese translation (the case in issue 4); the Arabic translation
is reported beside it. Also reported: the Japanese-only PDF, the DOCX, building the letter, and the first
(cold) render, which parses the fonts. Every timed line gives the median wall time and, in brackets, the
median CPU time of the process (``time.process_time``: what the code costs, whatever else runs on the
machine); the last line is the machine's load (``os.getloadavg``) while the bench ran.
Run: ``python bench/letters.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helper import letters  # noqa: E402
from helper.rules.loader import load_rules  # noqa: E402

ANSWERS = {
    "version": 1, "as_of": dt.date(2026, 11, 29), "municipality": "27123",
    "person": {"residence_status": "permanent_resident"},
    "household": {"size": 1, "monthly_income": 0, "savings": 20000, "monthly_rent": 35000, "housing": "renting"},
    "needs": {"urgent": True, "medical_care": False},
    "applicant": {"name": "ဒေါ်အေးအေးမောင်", "name_kana": "エー エー マウン", "birth_date": dt.date(1992, 4, 1),
                  "sex": "female", "nationality": "ミャンマー", "postal_code": "532-0023",
                  "address": "大阪市淀川区十三東1-2-3 ハイツ十三201号", "phone": "090-1234-5678",
                  "residence_card_number": "AB12345678CD"},
    "supporter": {"name": "山田 花子", "organisation": "NPO法人 共生サポート大阪", "phone": "06-6308-1234",
                  "relation": "支援者"},
    "letter": {"reasons": ["job_loss", "savings_exhausted"], "cash": 5000, "deposits": 15000, "work": "job_seeking",
               "relatives": "abroad", "relatives_no_contact_years": 5, "receives_other_benefits": False,
               "no_family_inquiry": True, "no_home_state_contact": True, "interpreter_language": "my",
               "supporter_accompanies": True, "attachments": ["bankbook", "separation_notice"]},
}
# A few real Burmese sentences; the rest of the translation stays in English (as with an incomplete catalogue).
BURMESE = {
    "Translation for your understanding only. Do not hand in this page: hand in the Japanese letter.":
        "ဤဘာသာပြန်သည် နားလည်ရန်အတွက်သာ ဖြစ်သည်။ ဤစာမျက်နှာကို မတင်ပြပါနှင့်။ ဂျပန်ဘာသာစာကိုသာ တင်ပြပါ။",
    "I apply for the start of protection under the Public Assistance Act.":
        "ပြည်သူ့ထောက်ပံ့ရေးဥပဒေအရ အကာအကွယ် စတင်ပေးရန် ကျွန်ုပ် လျှောက်ထားပါသည်။",
    "Name": "အမည်", "Date of birth": "မွေးနေ့", "Nationality": "နိုင်ငံသား", "female": "အမျိုးသမီး",
}


ARABIC = {
    "Translation for your understanding only. Do not hand in this page: hand in the Japanese letter.":
        "هذه الترجمة لفهم المحتوى فقط. لا تقدّم هذه الصفحة، بل قدّم الرسالة المكتوبة باليابانية.",
    "I apply for the start of protection under the Public Assistance Act.":
        "أتقدّم بطلب بدء الحماية بموجب قانون المساعدة العامة.",
    "Name": "الاسم", "Date of birth": "تاريخ الميلاد", "Nationality": "الجنسية", "female": "أنثى",
}


def gettext(msgid: str) -> str:
    return BURMESE.get(msgid, msgid)


def gettext_ar(msgid: str) -> str:
    return ARABIC.get(msgid, msgid)


def timed(fn, runs: int) -> tuple[str, object]:
    """``"<wall> ms (cpu <cpu> ms)"``, medians of ``runs`` calls, and the last result."""
    wall, cpu = [], []
    out = None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        out = fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return f"{statistics.median(wall):.0f} ms (cpu {statistics.median(cpu):.0f} ms)", out


def _forget_widths() -> None:
    """Empty the per-character font lookups (the parsed fonts stay; widths are measured per document)."""
    from helper.letters import fonts

    for fn in (fonts.script_font, fonts._complex_char, fonts._covered):
        fn.cache_clear()


def main() -> None:
    rules = load_rules(ROOT / "rules", compile_all=False, include_tests=False)
    cold, letter = timed(lambda: letters.render_pdf(letters.build_letter("welfare_application", ANSWERS,
                                                                          rules=rules), "my", gettext), 1)
    letter = letters.build_letter("welfare_application", ANSWERS, rules=rules)
    build, letter = timed(lambda: letters.build_letter("welfare_application", ANSWERS, rules=rules), 20)
    letters.render_pdf(letter, "ar", gettext_ar)  # warm-up of the Arabic font
    pdf_t, pdf = timed(lambda: letters.render_pdf(letter, "my", gettext), 15)
    ar_t, ar = timed(lambda: letters.render_pdf(letter, "ar", gettext_ar), 15)
    ja_t, ja = timed(lambda: letters.render_pdf(letter, "ja"), 15)
    fresh_t, _ = timed(lambda: (_forget_widths(), letters.render_pdf(letter, "my", gettext)), 15)
    docx_t, docx = timed(lambda: letters.render_docx(letter), 15)
    print(f"letter_first_render_ms: {cold} (cold: fonts parsed, letter built)")
    print(f"letter_build_ms: {build}")
    print(f"letter_pdf_ms: {pdf_t} (Japanese + Burmese, median of 15 after warm-up; target 150)")
    print(f"letter_pdf_kb: {len(pdf) / 1024:.0f} KB (Japanese + Burmese translation; target 150)")
    print(f"letter_pdf_ar_ms: {ar_t} (Japanese + Arabic)")
    print(f"letter_pdf_ar_kb: {len(ar) / 1024:.0f} KB")
    print(f"letter_pdf_fresh_ms: {fresh_t} (Japanese + Burmese, nothing measured before: a letter of new words)")
    print(f"letter_pdf_ja_ms: {ja_t}")
    print(f"letter_pdf_ja_kb: {len(ja) / 1024:.0f} KB")
    print(f"letter_docx_ms: {docx_t}")
    print(f"letter_docx_kb: {len(docx) / 1024:.0f} KB")
    one, five, fifteen = os.getloadavg()
    print(f"machine_load: {one:.2f} load (1 min; 5 min {five:.2f}, 15 min {fifteen:.2f}; {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
