"""Number formats for Simplified Chinese, over Django's own.

Django groups no digits in Chinese (an empty thousands separator); amounts in Chinese
financial statements and budgets are written with a comma every three digits
(1,389,360.00), so ``floatformat:"2g"`` does that here. Everything else is Django's.
"""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
