import pytest

from voice.bench.cer import cer, normalize_for_cer, traditional_chars


@pytest.mark.parametrize("a, b", [
    ("开放时间早上9点至下午5点。", "开放时间早上九点至下午五点"),
    ("幺三五八幺八八七五七", "1358188757"),
    ("拨打一三五八二八八八幺八八", "拨打13582888188"),
    ("二零二六年", "2026年"),
    ("百分之五十", "50%"),
    ("三点五公里", "3.5公里"),
    ("两点", "2点"),
    ("說話", "说话"),
    ("Hello, World!", "hello world"),
    ("二十五个", "25个"),
])
def test_equivalent_forms_normalize_equal(a, b):
    assert normalize_for_cer(a) == normalize_for_cer(b)


def test_cer_is_micro_averaged():
    assert cer(["甲乙丙丁", "戊己"], ["甲乙丙丁", "戊庚"]) == pytest.approx(1 / 6)
    assert cer(["你好"], [""]) == 1.0
    assert cer(["你好"], ["你好你好"]) == 1.0  # insertions count


def test_traditional_chars():
    assert traditional_chars("正是因為存在絕對正義") == 4  # 為 絕 對 義
    assert traditional_chars("正是因为存在绝对正义") == 0
