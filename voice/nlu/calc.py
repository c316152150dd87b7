"""Spoken arithmetic and unit conversion, computed exactly with fractions (no `eval`).

Arithmetic: numbers (digits after ITN), 加/加上/+, 减/减去/-, 乘/乘以/×/*, 除以/÷//, "A除B" (= B/A),
的平方/的立方/的N次方, 的平方根/开根号/根号N, 百分之/%, parentheses. Precedence: powers, then × ÷, then + −.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from voice.nlu.lexicon import TEMPERATURE_UNITS, UNITS, by_length

_OPS = [("加上", "+"), ("减去", "-"), ("乘以", "*"), ("除以", "/"), ("乘上", "*"), ("加", "+"), ("减", "-"),
        ("乘", "*"), ("×", "*"), ("x", "*"), ("÷", "/"), ("+", "+"), ("-", "-"), ("*", "*"), ("/", "/"),
        ("(", "("), (")", ")"), ("（", "("), ("）", ")")]
_NUMBER = re.compile(r"\d+(?:\.\d+)?%?")


class CalcError(ValueError):
    pass


def tokenize(text: str) -> list[str] | None:
    """Arithmetic tokens of `text`, or None when it is not purely arithmetic."""
    text = re.sub(r"(\d+(?:\.\d+)?)的平方根", r"√\1", text)
    text = re.sub(r"(?:开根号|根号)(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)开根号", lambda m: "√" + (m.group(1) or m.group(2)), text)
    text = re.sub(r"的平方", "^2", text)
    text = re.sub(r"的立方", "^3", text)
    text = re.sub(r"的(\d+)次方", r"^\1", text)
    # "A除B" means B ÷ A (but 除以 is the usual order)
    text = re.sub(r"(\d+(?:\.\d+)?)除(?!以)(\d+(?:\.\d+)?)", r"\2/\1", text)
    tokens: list[str] = []
    i = 0
    while i < len(text):
        m = _NUMBER.match(text, i)
        if m:
            tokens.append(m.group(0))
            i = m.end()
            continue
        if text[i] in "√^":
            tokens.append(text[i])
            i += 1
            continue
        for word, op in _OPS:
            if text.startswith(word, i):
                tokens.append(op)
                i += len(word)
                break
        else:
            return None
    return tokens


def evaluate(tokens: list[str]) -> Fraction:
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def atom() -> Fraction:
        t = take() if peek() is not None else None
        if t is None:
            raise CalcError("incomplete expression")
        if t == "(":
            v = expr()
            if peek() != ")":
                raise CalcError("unbalanced parentheses")
            if take() != ")":
                raise CalcError("unbalanced parentheses")
            return v
        if t == "-":
            return -atom()
        if t == "√":
            v = atom()
            if v < 0:
                raise CalcError("square root of a negative number")
            root = Fraction(math.isqrt(v.numerator), math.isqrt(v.denominator))
            return root if root * root == v else Fraction(math.sqrt(v))
        if t.endswith("%"):
            return Fraction(t[:-1]) / 100
        try:
            return Fraction(t)
        except ValueError:
            raise CalcError(f"not a number: {t}") from None

    def power() -> Fraction:
        base = atom()
        while peek() == "^":
            take()
            exp = atom()
            if exp.denominator != 1 or abs(exp) > 64:
                raise CalcError("exponent too large or not whole")
            base = base ** int(exp)
        return base

    def term() -> Fraction:
        v = power()
        while peek() in ("*", "/"):
            op = take()
            rhs = power()
            if op == "/" and rhs == 0:
                raise CalcError("division by zero")
            v = v * rhs if op == "*" else v / rhs
        return v

    def expr() -> Fraction:
        v = term()
        while peek() in ("+", "-"):
            op = take()
            v = v + term() if op == "+" else v - term()
        return v

    value = expr()
    if pos != len(tokens):
        raise CalcError("unexpected token")
    return value


def expression_text(tokens: list[str]) -> str:
    return "".join("sqrt" if t == "√" else t for t in tokens)


# --- units ----------------------------------------------------------------------------------------

UNIT_PATTERN = "|".join(re.escape(u) for u in by_length([*UNITS, *TEMPERATURE_UNITS]))


def convert(value: Fraction, from_unit: str, to_unit: str) -> Fraction:
    if from_unit in TEMPERATURE_UNITS and to_unit in TEMPERATURE_UNITS:
        return _temperature(value, TEMPERATURE_UNITS[from_unit], TEMPERATURE_UNITS[to_unit])
    a, b = UNITS.get(from_unit), UNITS.get(to_unit)
    if not a or not b:
        raise CalcError(f"unknown unit: {from_unit if not a else to_unit}")
    if a[0] != b[0]:
        raise CalcError(f"{from_unit} and {to_unit} measure different things")
    return value * a[1] / b[1]


def _temperature(value: Fraction, src: str, dst: str) -> Fraction:
    celsius = {"C": value, "F": (value - 32) * Fraction(5, 9), "K": value - Fraction("273.15")}[src]
    return {"C": celsius, "F": celsius * Fraction(9, 5) + 32, "K": celsius + Fraction("273.15")}[dst]
