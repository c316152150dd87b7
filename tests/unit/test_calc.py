"""Exact arithmetic and unit conversion (voice.nlu.calc): fractions, never eval."""

from fractions import Fraction

import pytest

from voice.nlu import calc


@pytest.mark.parametrize("text,value", [
    ("3加5", 8), ("120乘以3", 360), ("100除以3", Fraction(100, 3)), ("0.1+0.2", Fraction(3, 10)),
    ("2+3*4", 14), ("(2+3)*4", 20), ("2^10", 1024), ("15的平方", 225), ("2的立方", 8), ("根号144", 12),
    ("144的平方根", 12), ("10-2-3", 5), ("8/2/2", 2), ("3除6", 2), ("50%*200", 100), ("-3+5", 2),
])
def test_evaluate(text, value):
    assert calc.evaluate(calc.tokenize(text)) == value


@pytest.mark.parametrize("text", ["1/0", "2^100", "3+", "(1+2", "2+*3"])
def test_rejects_bad_arithmetic(text):
    with pytest.raises(calc.CalcError):
        calc.evaluate(calc.tokenize(text))


@pytest.mark.parametrize("text", ["import os", "__import__('os')", "3加五个苹果", "明天"])
def test_non_arithmetic_is_never_evaluated(text):
    assert calc.tokenize(text) is None


@pytest.mark.parametrize("value,src,dst,expected", [
    (5, "斤", "公斤", 2.5), (1, "两", "克", 50), (1, "亩", "平方米", 666.67), (98, "华氏度", "摄氏度", 36.67),
    (-40, "摄氏度", "华氏度", -40), (0, "摄氏度", "开尔文", 273.15), (10, "公里", "英里", 6.21),
    (1, "英寸", "厘米", 2.54), (1, "吨", "斤", 2000), (1, "公顷", "亩", 15), (1, "加仑", "升", 3.79),
])
def test_convert(value, src, dst, expected):
    assert round(float(calc.convert(Fraction(value), src, dst)), 2) == expected


def test_convert_refuses_mixed_dimensions():
    with pytest.raises(calc.CalcError):
        calc.convert(Fraction(1), "公斤", "米")
