"""What dbt's cross-database macros render to on DuckDB, for sqlfluff's jinja templater (lint only).

sqlfluff exposes this module as `dbt` in the models' Jinja context (dbt/.sqlfluff: library_path). A model
that calls a dbt.* macro not listed here fails `make lint` with "undefined": add a one-line stub below.
"""


def cast(expr, type_):
    return f"cast({expr} as {type_})"


def type_string():
    return "varchar"


def type_boolean():
    return "boolean"


def type_timestamp():
    return "timestamp"


def type_int():
    return "integer"


def type_bigint():
    return "bigint"


def type_numeric():
    return "numeric(28, 6)"


def type_float():
    return "float"


def concat(fields):
    return " || ".join(fields)


def current_timestamp():
    return "now()"


def date_trunc(datepart, date):
    return f"date_trunc('{datepart}', {date})"


def dateadd(datepart, interval, from_date_or_timestamp):
    return f"date_add({from_date_or_timestamp}, to_{datepart}s({interval}))"


def datediff(first_date, second_date, datepart):
    return f"date_diff('{datepart}', {first_date}, {second_date})"


def generate_series(upper_bound):
    return f"select range as generated_number from range(1, {upper_bound} + 1)"


def right(string_text, length_expression):
    return f"right({string_text}, {length_expression})"


def split_part(string_text, delimiter_text, part_number):
    return f"split_part({string_text}, {delimiter_text}, {part_number})"


def safe_cast(field, type_):
    return f"try_cast({field} as {type_})"


def hash(field):  # noqa: A001 - dbt's name
    return f"md5(cast({field} as varchar))"


def any_value(expression):
    return f"any_value({expression})"


def bool_or(expression):
    return f"bool_or({expression})"


def listagg(measure, delimiter_text="','", order_by_clause=None, limit_num=None):
    return f"string_agg({measure}, {delimiter_text})"


def last_day(date, datepart):
    return f"last_day({date})"
