"""kyosei-helper: social-support eligibility for foreign residents in Japan, refugees above all."""

__version__ = "0.1.0"
