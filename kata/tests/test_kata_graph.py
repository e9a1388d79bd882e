"""kata/graph.py: the computational graphs, checked as a person would read them.

Every test parses the SVG (it must be valid XML) and reads the labels of each edge
(data-edge), the way they are drawn: forward text above the line, backward below.
Expected numbers are the book's, typed in here; never taken from the code under test.
"""
import os
import shutil
import struct
import subprocess
import sys
import types
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import layers
from kata import graph

ROOT = Path(__file__).resolve().parents[2]
SVG_NS = "{http://www.w3.org/2000/svg}"

# (forward, backward) of every edge, as the book prints them (Figures 5-16 and 5-17)
BUY_APPLE = {"apple": ("100", "2.2"), "apple_num": ("2", "110"), "apple_price": ("200", "1.1"),
             "tax": ("1.1", "200"), "price": ("220", "1")}
BUY_APPLE_ORANGE = {"apple": ("100", "2.2"), "apple_num": ("2", "110"), "orange": ("150", "3.3"),
                    "orange_num": ("3", "165"), "apple_price": ("200", "1.1"), "orange_price": ("450", "1.1"),
                    "all_price": ("650", "1.1"), "tax": ("1.1", "650"), "price": ("715", "1")}
FLOAT_NOISE = ("110.00000000000001", "220.00000000000003", "715.0000000000001", "3.3000000000000003")


def parse(svg):
    """{graph: {edge: {"state", "forward": [lines], "backward": [lines], "red": bool}}}; fails on invalid XML."""
    root = ET.fromstring(svg)
    assert root.tag == SVG_NS + "svg"
    graphs = {}
    for g in root.iter(SVG_NS + "g"):
        if g.get("data-graph"):
            edges = graphs.setdefault(g.get("data-graph"), {})
            for e in g.iter(SVG_NS + "g"):
                if e.get("data-edge") is None:
                    continue
                texts = {"forward": [], "backward": []}
                for t in e.iter(SVG_NS + "text"):
                    texts[t.get("class")].append("".join(t.itertext()))
                red = any(graph.RED in (el.get("stroke"), el.get("fill")) for el in e.iter())
                edges[e.get("data-edge")] = {"state": e.get("data-state"), "red": red, **texts}
    return graphs


def red_outside_edges(svg):
    """Elements drawn in red that are not part of an edge (the red arrow head's definition excepted)."""
    root = ET.fromstring(svg)
    inside = {id(el) for g in root.iter(SVG_NS + "g") if g.get("data-edge") for el in g.iter()}
    in_defs = {id(el) for d in root.iter(SVG_NS + "defs") for el in d.iter()}
    return [el.tag for el in root.iter() if graph.RED in (el.get("stroke"), el.get("fill"))
            and id(el) not in inside | in_defs]


def all_text(svg):
    return " ".join("".join(t.itertext()) for t in ET.fromstring(svg).iter(SVG_NS + "text"))


def with_layer(**classes):
    """The reference layers with some classes replaced (a module-like object, as draw() accepts)."""
    names = ("MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "SoftmaxWithLoss")
    return types.SimpleNamespace(**{**{n: getattr(layers, n) for n in names}, **classes})


class MulLayerNoSwap:
    """The classic mistake: backward multiplies dout by the same input, not the other one."""

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.x, dout * self.y


# ------------------------------------------------------------------ the book's numbers
@pytest.mark.parametrize("name, expected", [("buy_apple", BUY_APPLE), ("buy_apple_orange", BUY_APPLE_ORANGE)])
def test_reference_draws_the_books_numbers(name, expected):
    svg = graph.draw(name, graph.load_layers(ROOT / "layers.py"), graph.EXPECTED)
    edges = parse(svg)[name]
    assert {e: (v["forward"], v["backward"]) for e, v in edges.items()} == \
        {e: ([f], [b]) for e, (f, b) in expected.items()}
    assert all(v["state"] == "ok" and not v["red"] for v in edges.values())
    assert red_outside_edges(svg) == []
    text = all_text(svg)
    assert not any(noise in text for noise in FLOAT_NOISE)


def test_every_graph_of_the_reference_is_the_hand_computed_one():
    ref = graph.load_layers(ROOT / "layers.py")
    expected = graph._expected()
    assert set(expected) == set(graph.GRAPH_NAMES)
    for name in graph.GRAPH_NAMES:
        values = graph.compute(name, ref)
        assert set(values) == set(expected[name]), name
        for edge, pair in values.items():
            for mine, want in zip(pair, expected[name][edge]):
                if want is None:
                    assert mine is None, (name, edge)
                else:
                    assert np.shape(mine) == np.shape(want) and not graph.differs(mine, want), (name, edge, mine, want)
        edges = parse(graph.draw(name, ref, ref))[name]
        assert {e: v["state"] for e, v in edges.items()} == {e: "ok" for e in expected[name]}, name


def test_layer_graphs_show_their_inputs_and_gradients():
    svg = graph.draw(["MulLayer", "AddLayer", "Affine", "SoftmaxWithLoss"], layers, graph.EXPECTED)
    g = parse(svg)
    # section 5.3's examples: 10 * 5 and 10 + 5, with 1.3 coming back
    assert {e: (v["forward"], v["backward"]) for e, v in g["MulLayer"].items()} == \
        {"x": (["10"], ["6.5"]), "y": (["5"], ["13"]), "z": (["50"], ["1.3"])}
    assert {e: (v["forward"], v["backward"]) for e, v in g["AddLayer"].items()} == \
        {"x": (["10"], ["1.3"]), "y": (["5"], ["1.3"]), "z": (["15"], ["1.3"])}
    assert g["Affine"]["b"]["backward"] == ["[5, 7, 9]"]          # section 5.6.2's dB
    assert g["Affine"]["W"]["backward"] == ["[[-3,  -3, -3],", " [ 4, 6.5,  9]]"]
    assert g["SoftmaxWithLoss"]["t"]["backward"] == []             # no gradient flows to the labels
    assert g["SoftmaxWithLoss"]["L"]["backward"] == ["1"]


def test_numbers_are_printed_the_books_way():
    assert [graph.fmt_number(v) for v in (110.00000000000001, 220.00000000000003, 3.3000000000000003,
                                          715.0000000000001, -0.0, 1e-7, 0.1 + 0.2, 1 / 3)] == \
        ["110", "220", "3.3", "715", "0", "1e-7", "0.3", "0.3333333333"]
    assert graph.fmt_value(np.array([[1.0, -0.5], [-2.0, 3.0]])) == ["[[ 1, -0.5],", " [-2,    3]]"]


# ------------------------------------------------------------------ comparison mode
def test_mul_layer_without_the_swap_is_red_exactly_on_the_wrong_edges():
    broken = with_layer(MulLayer=MulLayerNoSwap)
    svg = graph.draw(["MulLayer", "buy_apple", "buy_apple_orange"], broken, layers)
    g = parse(svg)
    wrong = {name: {e for e, v in edges.items() if v["red"]} for name, edges in g.items()}
    assert wrong == {"MulLayer": {"x", "y"},
                     "buy_apple": {"apple", "apple_num", "apple_price", "tax"},
                     "buy_apple_orange": set(BUY_APPLE_ORANGE) - {"price"}}
    for name, edges in g.items():
        for e, v in edges.items():
            assert v["state"] == ("wrong" if e in wrong[name] else "ok"), (name, e)
    assert red_outside_edges(svg) == []
    # the learner's value, and the reference's beside it; forward values are right and stay black
    assert g["buy_apple"]["apple"]["backward"] == ["20000 (reference 2.2)"]
    assert g["buy_apple"]["tax"]["backward"] == ["1.1 (reference 200)"]
    assert g["buy_apple"]["apple_price"]["forward"] == ["200"]
    assert g["buy_apple"]["price"] == {"state": "ok", "red": False, "forward": ["220"], "backward": ["1"]}
    assert g["MulLayer"]["x"]["backward"] == ["13 (reference 6.5)"]


def test_a_small_real_difference_shows_its_digits():
    class SigmoidOffByAMillionth(layers.Sigmoid):
        def backward(self, dout):
            return super().backward(dout) * (1 + 1e-6)

    class MulLayerNearlyRight(layers.MulLayer):
        def backward(self, dout):
            dx, dy = super().backward(dout)
            return dx * (1 + 1e-8), dy

    g = parse(graph.draw(["Sigmoid", "buy_apple"], with_layer(Sigmoid=SigmoidOffByAMillionth,
                                                               MulLayer=MulLayerNearlyRight), layers))
    [line] = g["Sigmoid"]["x"]["backward"]              # a 1-D array: one line, the reference beside it
    mine, ref = line.split(" (reference ")
    assert ref.endswith(")") and mine != ref[:-1]         # with 4 digits both would read [0.1966, 0.125, 0.21]
    assert mine.startswith("[0.1966") and len(mine) > len("[0.1966, 0.125, 0.21]")
    assert g["Sigmoid"]["y"]["state"] == "ok"
    assert g["buy_apple"]["apple_price"]["backward"] == ["1.100000011 (reference 1.1)"]
    assert g["buy_apple"]["apple"]["backward"] == ["2.200000044 (reference 2.2)"]   # two nodes: (1 + 1e-8)**2
    # float noise of a right answer is not a difference
    assert not graph.differs(110.00000000000001, 110.0)


# ------------------------------------------------------------------ bad layers
class Raises(layers.MulLayer):
    def backward(self, dout):
        raise ZeroDivisionError("boom")


class ReturnsNone(layers.AddLayer):
    def forward(self, x, y):
        return None


class WrongShape(layers.Relu):
    def backward(self, dout):
        return super().backward(dout).ravel()


class NotAPair(layers.MulLayer):
    def backward(self, dout):
        return dout * self.y


@pytest.mark.parametrize("name, cls, edge, said, unreached", [
    ("buy_apple", {"MulLayer": Raises}, "apple_price", "ZeroDivisionError: boom", {"apple", "apple_num"}),
    ("buy_apple_orange", {"AddLayer": ReturnsNone}, "all_price", "returned None", {"price"}),
    ("Relu", {"Relu": WrongShape}, "x", "wrong shape (4,), expected (2, 2)", set()),
    ("MulLayer", {"MulLayer": NotAPair}, "x", "expected the pair (dx, dy)", set()),
])
def test_a_broken_layer_gets_an_error_edge_not_a_crash(name, cls, edge, said, unreached):
    svg = graph.draw(name, with_layer(**cls), layers)
    edges = parse(svg)[name]
    assert edges[edge]["state"] == "error" and edges[edge]["red"]
    shown = edges[edge]["forward"] + edges[edge]["backward"]
    assert any(line.startswith("error: ") and said in line for line in shown), shown
    for e in unreached:
        assert edges[e]["state"] == "unreached" and not edges[e]["red"]
        assert "(not computed)" in edges[e]["forward"] + edges[e]["backward"]


def test_affine_storing_wrong_gradients_marks_only_those_edges():
    class DbNotSummed(layers.Affine):
        def backward(self, dout):
            dx = super().backward(dout)
            self.db = dout                     # not summed over the batch: shape (2, 3)
            return dx

    edges = parse(graph.draw("Affine", with_layer(Affine=DbNotSummed), layers))["Affine"]
    assert {e: v["state"] for e, v in edges.items()} == {"X": "ok", "W": "ok", "b": "error", "Y": "ok"}
    assert "error: self.db after backward(): wrong shape (2, 3), expected (3,)" in edges["b"]["backward"]


def test_softmax_without_dividing_by_the_batch_size_is_red_on_the_scores_only():
    class NoMean(layers.SoftmaxWithLoss):
        def backward(self, dout=1):
            return super().backward(dout) * self.t.shape[0]

    edges = parse(graph.draw("SoftmaxWithLoss", with_layer(SoftmaxWithLoss=NoMean), layers))["SoftmaxWithLoss"]
    assert {e for e, v in edges.items() if v["red"]} == {"x"}


# ------------------------------------------------------------------ files: workspace, exercise graphs
def workspace(tmp_path, layers_text):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "layers.py").write_text(layers_text, encoding="utf-8")
    shutil.copy(ROOT / "functions.py", ws / "functions.py")
    return ws


NO_SWAP_SOURCE = '''

class MulLayer:  # a learner's version: backward without the x/y swap
    def __init__(self):
        self.x = self.y = None

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.x, dout * self.y
'''


def test_graph_for_exercise_compares_the_workspace_with_the_reference(tmp_path):
    ws = workspace(tmp_path, (ROOT / "layers.py").read_text(encoding="utf-8") + NO_SWAP_SOURCE)
    out = tmp_path / "out"
    path = graph.graph_for_exercise("5.4.1", ws, ROOT, out)
    assert path == out / "graph-5.4.1.svg"
    assert sorted(p.name for p in out.iterdir()) == ["graph-5.4.1.svg"]   # no temporary file left
    g = parse(path.read_text(encoding="utf-8"))
    assert set(g) == {"MulLayer", "buy_apple"}
    assert {e for e, v in g["buy_apple"].items() if v["red"]} == {"apple", "apple_num", "apple_price", "tax"}
    assert str(ws / "layers.py") in all_text(path.read_text(encoding="utf-8"))
    # the same workspace, fixed: the file is replaced and nothing is red
    (ws / "layers.py").write_text((ROOT / "layers.py").read_text(encoding="utf-8"), encoding="utf-8")
    g = parse(graph.graph_for_exercise("5.4.1", ws, ROOT, out).read_text(encoding="utf-8"))
    assert not any(v["red"] for edges in g.values() for v in edges.values())


def test_graph_for_exercise_without_a_graph_returns_none(tmp_path):
    for ex_id in ("4.2", "4.4", "5.7.2", "5.7.3", "5.7.4", "no-such"):
        assert graph.graph_for_exercise(ex_id, tmp_path, ROOT, tmp_path / "out") is None
    assert not (tmp_path / "out").exists()
    assert set(graph.EXERCISE_GRAPHS) == {"5.4.1", "5.4.2", "5.5.1", "5.5.2", "5.6.2", "5.6.3"}


@pytest.mark.parametrize("source, said", [
    ("def broken(:\n", "SyntaxError"),
    ("import no_such_module_here\n", "ModuleNotFoundError"),
    ("raise SystemExit(3)\n", "SystemExit"),
])
def test_a_workspace_that_does_not_load_still_gets_a_graph(tmp_path, source, said):
    ws = workspace(tmp_path, source)
    path = graph.graph_for_exercise("5.6.2", ws, ROOT, tmp_path / "out")
    edges = parse(path.read_text(encoding="utf-8"))["Affine"]
    assert edges["Y"]["state"] == "error"
    assert any("does not load" in line and said in line for line in edges["Y"]["forward"])
    assert "no_such_module_here" not in sys.modules


def test_a_learner_repository_compares_with_the_hand_computed_values(tmp_path):
    # an exported repository: the root is the workspace, there is no reference layers.py
    ws = workspace(tmp_path, (ROOT / "layers.py").read_text(encoding="utf-8") + NO_SWAP_SOURCE)
    (ws / "kata").mkdir()
    (ws / "kata" / "exported.json").write_text("{}", encoding="utf-8")
    svg = graph.graph_for_exercise("5.4.1", ws, ws, tmp_path / "out").read_text(encoding="utf-8")
    assert "hand-computed" in all_text(svg)
    assert {e for e, v in parse(svg)["MulLayer"].items() if v["red"]} == {"x", "y"}


def test_load_layers_is_fresh_and_uses_the_workspace_functions(tmp_path):
    ws = workspace(tmp_path, "from functions import softmax\nMARK = 1\n")
    (ws / "functions.py").write_text("def softmax(x):\n    return 'the learner softmax'\n", encoding="utf-8")
    before = {k: sys.modules.get(k) for k in ("functions", "layers")}
    first = graph.load_layers(ws / "layers.py")
    assert first.MARK == 1 and first.softmax(0) == "the learner softmax"
    (ws / "layers.py").write_text("from functions import softmax\nMARK = 2\n", encoding="utf-8")
    assert graph.load_layers(ws / "layers.py").MARK == 2          # an edit counts: never a cached import
    assert {k: sys.modules.get(k) for k in ("functions", "layers")} == before


# ------------------------------------------------------------------ the command
def test_command_writes_the_reference_graphs_into_graphs_of_the_current_folder(tmp_path, monkeypatch, capsys):
    from kata.__main__ import main
    monkeypatch.chdir(tmp_path)
    assert main(["--workspace", str(tmp_path / "no-workspace"), "graph", "buy_apple", "--no-png"]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(tmp_path / "graphs" / "buy_apple.svg")]
    assert {e: v["forward"][0] for e, v in parse(Path(printed[0]).read_text(encoding="utf-8"))["buy_apple"].items()} \
        == {e: f for e, (f, b) in BUY_APPLE.items()}


def test_command_in_kata_mode_writes_into_the_workspace(tmp_path, monkeypatch, capsys):
    from kata.__main__ import main
    ws = workspace(tmp_path, (ROOT / "layers.py").read_text(encoding="utf-8") + NO_SWAP_SOURCE)
    monkeypatch.chdir(tmp_path)
    assert main(["--workspace", str(ws), "graph", "5.4.2", "--no-png"]) == 0
    path = ws / ".kata" / "graphs" / "graph-5.4.2.svg"
    assert capsys.readouterr().out.split() == [str(path)]
    assert {e for e, v in parse(path.read_text(encoding="utf-8"))["buy_apple_orange"].items() if v["red"]} == \
        set(BUY_APPLE_ORANGE) - {"price"}
    assert not (tmp_path / "graphs").exists()


def test_command_with_an_unknown_name_is_a_usage_error_listing_the_names():
    proc = subprocess.run([sys.executable, "-m", "kata", "graph", "apple_pie"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    for name in graph.GRAPH_NAMES + ("5.4.1", "5.6.3"):
        assert name in proc.stderr
    assert "apple_pie" in proc.stderr


# ------------------------------------------------------------------ the picture
def _chromium_or_skip():
    """The renderer, installing Debian's Chromium when this machine can (root + apt-get); else skip, saying why."""
    if graph.png_renderer():
        return graph.png_renderer()
    apt = shutil.which("apt-get")
    if apt is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("no PNG renderer (Chromium or cairosvg) and no root apt-get to install Chromium: "
                    "run `make graph-renderer`")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in ([apt, "install", "-y", "-q", "chromium"], [apt, "update", "-q"],
                [apt, "install", "-y", "-q", "chromium"]):
        # well inside pytest's 600 s per test; an install that needs more is reported as a skip
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=240)
        except subprocess.TimeoutExpired:
            pytest.skip(f"installing Chromium took over 240 s ({' '.join(cmd[1:])}): run `make graph-renderer`")
        if cmd[1] == "install" and proc.returncode == 0 and graph.png_renderer():
            return graph.png_renderer()
    pytest.skip(f"Chromium could not be installed with apt-get: {proc.stdout[-300:]}{proc.stderr[-300:]}")


def test_the_picture_renders_to_a_png(tmp_path):
    _chromium_or_skip()
    svg = graph.draw("buy_apple_orange", with_layer(MulLayer=MulLayerNoSwap), layers)
    svg_path = tmp_path / "g.svg"
    svg_path.write_text(svg, encoding="utf-8")
    png = graph.svg_to_png(svg_path, scale=1)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    root = ET.fromstring(svg)
    assert (width, height) == (int(root.get("width")), int(root.get("height")))
    assert 600 < width < 2000 and 300 < height < 1200
    from PIL import Image
    pixels = np.asarray(Image.open(png).convert("RGB")).astype(int)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    white = (pixels > 240).all(axis=-1).mean()
    red = ((r > 180) & (g < 90) & (b < 90)).sum()
    blue = ((b > 120) & (r < 80) & (g < 120)).sum()
    dark = (pixels < 60).all(axis=-1).sum()
    assert white > 0.8                     # a drawing on white, not a blank or black page
    assert red > 500 and blue > 20 and dark > 500   # the wrong edges in red, price's "1" in blue, text in black


def test_draw_takes_paths_as_well_as_modules(tmp_path):
    ws = workspace(tmp_path, (ROOT / "layers.py").read_text(encoding="utf-8") + NO_SWAP_SOURCE)
    by_path = graph.draw("buy_apple", ws / "layers.py", ROOT / "layers.py")
    by_module = graph.draw("buy_apple", graph.load_layers(ws / "layers.py"), graph.load_layers(ROOT / "layers.py"))
    assert by_path == by_module
    assert {e for e, v in parse(by_path)["buy_apple"].items() if v["red"]} == {"apple", "apple_num", "apple_price",
                                                                               "tax"}


@pytest.mark.parametrize("code, script", [("ko", "[가-힣]"), ("ja", "[ぁ-ゖァ-ヺ]")])
def test_a_stubs_edge_is_labelled_in_the_learners_language(monkeypatch, code, script):
    import re
    from kata import graph as graphmod
    monkeypatch.setenv("KATA_LANG", code)
    label = graphmod._short(NotImplementedError("5.4.1 MulLayer.forward: not implemented yet — run `make hint`"))
    assert label.startswith("5.4.1 MulLayer.forward: ") and re.search(script, label), label
    assert "not implemented" not in label


@pytest.mark.parametrize("code, script", [("ko", "[가-힣]"), ("ja", "[ぁ-ゖァ-ヺ]")])
def test_a_graphs_title_legend_and_caption_are_in_the_learners_language(monkeypatch, code, script):
    import re
    from kata.i18n import t_in
    monkeypatch.setenv("KATA_LANG", code)
    svg = graph.draw("Sigmoid", layers, reference=layers)
    for key in ("graph_title_Sigmoid", "graph_legend_backward", "graph_red_reference"):
        assert t_in(code, key) in svg and re.search(script, t_in(code, key))
    assert "backward value below" not in svg and "red: differs" not in svg
    # wide characters take two columns: the panel is wide enough for the translated title
    width = float(re.search(r'<svg[^>]* width="([\d.]+)', svg).group(1))
    assert width >= graph._cols(t_in(code, "graph_title_Sigmoid")) * 0.6 * graph.TITLE_FONT
