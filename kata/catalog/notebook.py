"""Text of the generated notebook (kata/notebook.py, kata/magic.py): the intro and setup cells, each
exercise's markdown cell, the `%kata` usage line.

Each entry: key -> (English, Korean, Japanese). Placeholders in braces are the same in every language.
(The check cell's refusals, nb_syntax, nb_no_cell, ..., are screens of the check: kata/catalog/core.py.)
"""

MESSAGES = {
    "nb_intro": (
        "# Chapter 5: the backpropagation kata\n\n"
        "Run the first cell, then for each exercise fill in and run its code cell, then its `%kata check` "
        "cell. `%kata hint`, `%kata status` and `%kata compare 5.4.1` work too; `make check` sees the same code.",
        "# 5장: 오차역전파법 카타\n\n"
        "첫 셀을 실행한 다음, 연습마다 코드 셀을 채워 실행하고 이어서 `%kata check` 셀을 실행하세요. "
        "`%kata hint`, `%kata status`, `%kata compare 5.4.1`도 쓸 수 있습니다. `make check`도 같은 코드를 "
        "확인합니다.",
        "# 5章：誤差逆伝播法のカタ\n\n"
        "最初のセルを実行したら、演習ごとにコードのセルを埋めて実行し、続けて`%kata check`のセルを実行して"
        "ください。`%kata hint`、`%kata status`、`%kata compare 5.4.1`も使えます。`make check`も同じコードを"
        "確認します。"),
    "nb_write": ("Write:", "작성할 것:", "書くもの："),
    "nb_shapes": ("Shapes (the code's docstring):", "형상 (코드의 docstring):", "形状（コードのdocstring）："),
    "nb_cell_help": (
        "Write the code in the cell below, run it, then run the check cell. The check copies this exercise's "
        "functions into your workspace's `{module}.py` (backed up first).",
        "아래 셀에 코드를 작성해 실행한 다음 확인 셀을 실행하세요. 확인할 때 이 연습의 함수만 작업 공간의 "
        "`{module}.py`에 복사합니다 (먼저 백업합니다).",
        "下のセルにコードを書いて実行し、それから確認のセルを実行してください。確認のときは、この演習の関数"
        "だけを作業フォルダの`{module}.py`にコピーします（先にバックアップを取ります）。"),
    "nb_needs": ("Needs first: {ids}", "먼저 끝낼 연습: {ids}", "先に終わらせる演習：{ids}"),
    "nb_no_repo": (
        "kata: no repository found above {here}: cd into your clone, or set KATA_ROOT",
        "kata: {here}부터 위쪽 폴더까지 저장소를 찾지 못했습니다. 클론한 저장소 안으로 cd 하거나 "
        "KATA_ROOT를 설정하세요",
        "kata: {here}とその上のフォルダにリポジトリが見つかりません。cloneしたリポジトリの中にcdするか、"
        "KATA_ROOTを設定してください"),
    "nb_usage": (
        "usage: %kata check <exercise> | hint [exercise] | status | compare [exercise]",
        "사용법: %kata check <연습> | hint [연습] | status | compare [연습]",
        "使い方: %kata check <演習> | hint [演習] | status | compare [演習]"),
}
