"""Names in the scripts refugees and foreign residents in Japan write them in (shared test data)."""

NAMES = {
    "Japanese": "山田 花子",
    "Latin with diacritics": "José Müller-Łukasiewicz",
    "Arabic": "محمد عبد الله",
    "Persian with ZWNJ": "مهدی\u200cزاده",
    "Burmese": "အောင်ဆန်းစုကြည်",
    "Tamil": "தமிழ்செல்வி",
    "Amharic": "አበበ ቢቂላ",
    "Nepali": "राम बहादुर",
    "Sinhala with ZWJ": "ශ්\u200dරී ලංකා",
    "Vietnamese": "Nguyễn Thị Minh Khai",
    "Tigrinya": "ሰላም ተስፋይ",
    "Kurdish (Kurmanji)": "Hêvî Şêx",
    "Kurdish (Sorani)": "ژیلا مەحموود",
}
