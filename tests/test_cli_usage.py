"""Usage errors and help pages of the command line in the user's language (cli_usage.py).

Each case runs the real command tree through ``cli_usage.run``, as the console script does, and
reads what it wrote to the terminal and its exit code.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from reportgen import cli_usage, i18n
from reportgen.cli import app


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stopped:
        cli_usage.run(typer.main.get_command(app), args=args, prog_name="reportgen")
    out = capsys.readouterr()
    code = stopped.value.code
    return (code if isinstance(code, int) else 0), out.out + out.err


# (arguments, what the Vietnamese error says)
MISTAKES = [
    (["validat"], "Lỗi: Không có lệnh 'validat'. Có phải là 'validate'?"),
    (["validate", "--jsn"], "Lỗi: Không có tùy chọn --jsn. Có phải là --json?"),
    (["validate", "--nothing-like-it"], "Lỗi: Không có tùy chọn --nothing-like-it."),
    (["generate", "--period"], "Lỗi: Tùy chọn '--period' cần có giá trị ngay sau nó."),
    (["generate"], "Lỗi: Thiếu tùy chọn '--period' / '-p'."),
    (["inputs", "new"], "Lỗi: Thiếu tham số 'FILE'."),
    (["init", "a", "b"], "Lỗi: Thừa tham số: b."),
    (["schedule", "--day", "40"], "Lỗi: Giá trị của '--day' không hợp lệ: giá trị không được lớn"),
    (["schedule", "--day", "0"], "Lỗi: Giá trị của '--day' không hợp lệ: giá trị không được nhỏ"),
    (["schedule", "--day", "x"], "Lỗi: Giá trị của '--day' không hợp lệ: cần một số nguyên."),
    (["--lang", "fr", "validate"], "'fr' không phải ngôn ngữ reportgen dùng được"),
]


@pytest.mark.parametrize(("args", "said"), MISTAKES, ids=[" ".join(a) for a, _ in MISTAKES])
def test_usage_errors_in_vietnamese(
    args: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = run(args, capsys)
    assert code == 2
    assert said in text
    assert "Error" not in text and "Usage" not in text and "Traceback" not in text


def test_usage_error_shows_usage_and_where_help_is(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(["validate", "--jsn"], capsys)
    assert code == 2
    lines = text.splitlines()
    assert lines[0] == "Cách dùng: reportgen validate [OPTIONS] [PATH]..."
    assert lines[1] == "Xem hướng dẫn bằng 'reportgen validate -h'."
    assert lines[-1].startswith("Lỗi: ")


def test_lang_en_comes_before_the_mistake(capsys: pytest.CaptureFixture[str]) -> None:
    """--lang is read first, so the error after it is already in English."""
    code, text = run(["--lang", "en", "validat"], capsys)
    assert code == 2
    assert "Usage: reportgen" in text
    assert "Error: No such command: 'validat'. Did you mean 'validate'?" in text


def test_help_pages_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(["inputs", "new", "-h"], capsys)
    assert code == 0
    assert text.startswith("Cách dùng: reportgen inputs new [OPTIONS] {FILE}")
    for heading in ("Tham số:", "Tùy chọn:"):
        assert heading in text.splitlines()
    assert "[bắt buộc]" in text
    assert "Hiển thị hướng dẫn này rồi thoát." in text
    for english in ("Usage:", "Options:", "Arguments:", "[required]", "Show this message"):
        assert english not in text

    code, text = run(["schedule", "-h"], capsys)
    assert code == 0
    assert "[mặc định: 07:00]" in text

    code, text = run(["-h"], capsys)
    assert code == 0
    assert "Lệnh:" in text.splitlines() and "Commands:" not in text


def test_no_arguments_shows_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run([], capsys)
    assert code == 2  # click's code for a command that needs one
    assert "Cách dùng: reportgen [OPTIONS] COMMAND [ARGS]..." in text
    assert "Lệnh:" in text and "validate" in text


def test_exit_codes_of_commands_pass_through(
    capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    assert run(["--version"], capsys)[0] == 0
    code, text = run(["validate", str(tmp_path) + "/missing.xlsx"], capsys)
    assert code == 1  # invalid data, not wrong usage
    assert "Không tìm thấy tệp" in text


def test_unknown_sentence_is_kept_in_english() -> None:
    """A sentence no pattern knows (a later typer may word one anew) is shown as it is."""
    assert cli_usage.error_message("Something new went wrong.") == "Something new went wrong."
    i18n.set_language("en")
    assert cli_usage.error_message("No such option: --x") == "No such option: --x."
    assert (
        cli_usage.error_message("Invalid value for '--day': something else entirely")
        == "Invalid value for '--day': something else entirely"
    )


@pytest.mark.parametrize(
    ("english", "vietnamese"),
    [
        # click's own wordings, as older typer versions (which import click) show them
        (
            "No such option: --jsn Did you mean --json?",
            "Không có tùy chọn --jsn. Có phải là --json?",
        ),
        ("Got unexpected extra arguments (a b)", "Thừa tham số: a b."),
        ("Got unexpected extra argument (a)", "Thừa tham số: a."),
        ("Missing command.", "Thiếu tên lệnh"),
        (
            "Invalid value for '--day': 40 is not in the range 1<=x<=28.",
            "Giá trị của '--day' không hợp lệ: 40 nằm ngoài khoảng 1<=x<=28.",
        ),
        (
            "Invalid value for '--day': 'x' is not a valid integer.",
            "Giá trị của '--day' không hợp lệ: cần một số nguyên.",
        ),
    ],
)
def test_click_wordings(english: str, vietnamese: str) -> None:
    assert cli_usage.error_message(english).startswith(vietnamese)


def test_console_script_uses_it() -> None:
    """``python -m reportgen`` (and the console script, the same main) answers in Vietnamese."""
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "validat"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**__import__("os").environ, "PYTHONIOENCODING": "utf-8", "REPORTGEN_LANG": ""},
        check=False,
    )
    assert done.returncode == 2
    assert "Lỗi: Không có lệnh 'validat'" in done.stderr


def test_output_redirected_in_another_encoding_becomes_utf8(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A file in Windows' Vietnamese code page cannot hold "ệ": output switches to UTF-8."""
    import io

    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1258")
    with pytest.raises(UnicodeEncodeError):
        stream.write("Kiểm tra")
        stream.flush()
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1258")
    cli_usage.utf8_output(stream)
    stream.write("Lỗi: Không có lệnh")
    stream.flush()
    assert raw.getvalue().decode("utf-8") == "Lỗi: Không có lệnh"


def test_output_encoding_chosen_by_the_user_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setenv("PYTHONIOENCODING", "cp1258")
    stream = io.TextIOWrapper(io.BytesIO(), encoding="cp1258")
    cli_usage.utf8_output(stream)
    assert stream.encoding == "cp1258"
