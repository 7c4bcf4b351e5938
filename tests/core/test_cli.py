"""The headless subcommands, called as main.py would call them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from opassess import __version__
from opassess.cli import main
from opassess.interchange import read_session_file
from opassess.paths import default_data_dir
from opassess.wording import format_date

ROOT = Path(__file__).resolve().parent.parent.parent


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_demo_to_file_then_import_list_and_export(run, tmp_path):
    demo_file = tmp_path / "demo.opassess"
    code, out, _ = run("demo", "--out", str(demo_file), "--participants", "12")
    assert code == 0 and "demo.opassess" in out
    demo = read_session_file(demo_file)
    assert len(demo.participants) == 12
    assert demo.consensus and demo.targets and demo.actions and demo.reassess_on
    with_evidence = [r for r in demo.ratings.values() if r.evidence.strip()]
    assert len(with_evidence) >= 0.8 * len(demo.ratings)

    code, out, _ = run("import", str(demo_file))
    assert code == 0 and "Added" in out

    code, out, _ = run("list")
    assert code == 0 and demo.title in out and "12 people" in out
    assert format_date(demo.held_on) in out  # people's dates, not ISO

    exported = tmp_path / "again.opassess"
    code, _, _ = run("export", demo.id[:8], "--json", str(exported))
    assert code == 0
    assert read_session_file(exported) == demo


def test_import_of_an_existing_workshop_asks_then_replaces_or_keeps_both(run, tmp_path):
    demo_file = tmp_path / "demo.opassess"
    run("demo", "--out", str(demo_file))
    run("import", str(demo_file))
    code, _, err = run("import", str(demo_file))
    assert code == 2 and "--replace" in err and "--keep-both" in err
    assert run("import", str(demo_file), "--replace")[0] == 0
    code, out, _ = run("import", str(demo_file), "--keep-both")
    assert code == 0 and out.startswith("Kept both: added") and "(imported copy)" in out
    code, out, _ = run("list")
    assert out.count("people") == 2


def test_demo_size_limits(run, tmp_path):
    code, _, err = run("demo", "--out", str(tmp_path / "x.opassess"), "--participants", "201")
    assert code == 2 and "between 1 and 200" in err
    code, _, err = run("demo")
    assert code == 2 and "--out" in err
    code, _, _ = run("demo", "--out", str(tmp_path / "big.opassess"), "--participants", "200")
    assert code == 0
    assert len(read_session_file(tmp_path / "big.opassess").participants) == 200


def test_bad_input_is_one_line_with_exit_2(run, tmp_path):
    garbage = tmp_path / "garbage.opassess"
    garbage.write_bytes(b"\x00\x01 not json")
    for args in (
        ("import", str(garbage)),
        ("import", str(tmp_path / "missing.opassess")),
        ("export", "no-such-workshop", "--json", str(tmp_path / "out.opassess")),
    ):
        code, _, err = run(*args)
        assert code == 2, args
        assert err.startswith("opassess: ") and err.count("\n") == 1, err
        assert "Traceback" not in err


def test_an_invalid_session_file_names_where_and_leaves_the_library_alone(run, tmp_path):
    demo_file = tmp_path / "demo.opassess"
    run("demo", "--out", str(demo_file))
    document = json.loads(demo_file.read_text(encoding="utf-8"))
    document["workshop"]["participants"][1]["name"] = 7
    broken = tmp_path / "broken.opassess"
    broken.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = run("import", str(broken))
    assert code == 2 and "broken.opassess" in err and "participants[1]" in err
    assert run("list")[1].strip() == "The library is empty."


def test_a_user_mistake_from_the_real_entry_point_has_no_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path), "import", "nope.json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("opassess: ") and "Traceback" not in result.stderr


def test_an_unknown_command_is_a_usage_error(run, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run("nonsense-command")
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_the_library_folder_comes_from_the_flag_then_the_environment(tmp_path, monkeypatch, capsys):
    from opassess.paths import DATA_DIR_ENV, default_data_dir

    from_env = tmp_path / "from-env"
    monkeypatch.setenv(DATA_DIR_ENV, str(from_env))
    assert default_data_dir() == from_env
    assert default_data_dir(tmp_path / "flag") == tmp_path / "flag"
    assert main(["demo", "--add"]) == 0
    assert (from_env / "library.sqlite3").exists()
    monkeypatch.delenv(DATA_DIR_ENV)
    assert default_data_dir().name == "OpAssess"  # the user's data folder, via platformdirs


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--smoke-test"],
        ["--data-dir", "lib"],
        ["--data-dir=lib"],
        ["--data-dir="],
        ["--data-dir", "a", "--data-dir", "b", "--smoke-test"],
        ["--smoke-test", "--data-dir", "lib"],
        # Not plain launches: the full parser must see these and decide.
        ["--data"],
        ["--data", "lib"],
        ["--smoke"],
        ["--data-dir"],
        ["--data-dir", "--smoke-test"],
        ["list"],
        ["--data-dir", "lib", "list"],
        ["--help"],
        ["--version"],
        ["-x"],
    ],
)
def test_the_plain_window_launch_opens_as_the_full_parser_would(argv, tmp_path, monkeypatch):
    """The quick path that skips building every subcommand must never change what a command
    line means: it either opens the window exactly as argparse would, or leaves it to argparse."""
    from opassess.cli import _plain_gui_launch, build_parser

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OPASSESS_DATA_DIR", raising=False)
    quick = _plain_gui_launch(argv)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit:
        assert quick is None
        return
    if quick is not None:
        assert args.command is None
        assert quick == (args.data_dir, args.smoke_test)
        launched = []
        main(argv, launch_gui=lambda folder, smoke: launched.append((folder, smoke)) or 0)
        assert launched == [(default_data_dir(args.data_dir), args.smoke_test)]


def test_exporting_a_re_assessments_file_compares_with_the_library_without_making_one(
    run, tmp_path
):
    import openpyxl

    from opassess.demo import demo_workshop
    from opassess.interchange import write_session_file
    from opassess.workshop import start_reassessment

    earlier = demo_workshop()
    later_file = tmp_path / "later.opassess"
    write_session_file(start_reassessment(earlier), later_file)
    alone = tmp_path / "alone.xlsx"
    code, _, _ = run("export", str(later_file), "--xlsx", str(alone))
    assert code == 0 and not (tmp_path / "library").exists()  # no library made for the asking
    assert "Movement" not in openpyxl.load_workbook(alone).sheetnames

    earlier_file = tmp_path / "earlier.opassess"
    write_session_file(earlier, earlier_file)
    assert run("import", str(earlier_file))[0] == 0
    compared = tmp_path / "compared.xlsx"
    code, _, _ = run("export", str(later_file), "--xlsx", str(compared))
    assert code == 0 and "Movement" in openpyxl.load_workbook(compared).sheetnames


def test_a_reader_that_stops_early_is_no_failure(tmp_path):
    # `compare | head -3`: the reader goes away while the command still writes (here 500 KB,
    # far past what a pipe holds); the command says nothing of a file and exits 0
    script = (
        "import sys\n"
        "from opassess import cli\n"
        "def lots(args):\n"
        "    for n in range(5000):\n"
        "        print('line', n, 'x' * 90)\n"
        "    return 0\n"
        "cli._COMMANDS['list'] = lots\n"
        f"sys.exit(cli.main(['--data-dir', {str(tmp_path / 'lib')!r}, 'list']))\n"
    )
    reader = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )
    assert reader.stdout is not None
    reader.stdout.read(100)
    reader.stdout.close()
    _, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    assert b"broken pipe" not in err.lower() and b"Traceback" not in err
