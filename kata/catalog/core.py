"""Messages of the kata's screens (status words, verdicts, workspace and state errors, notebook checks).

Each entry: key -> (English, Korean, Japanese). Placeholders in braces are the same in every language.
Korean uses the Korean edition's terms (오차역전파법, 순전파/역전파, 기울기, 배치, 계층), Japanese the
Japanese edition's (誤差逆伝播法, 順伝播/逆伝播, 勾配, バッチ, レイヤ); code stays code.
"""

MESSAGES = {
    # status words (one column of the screen: short)
    "done": ("done", "완료", "完了"),
    "not_started": ("not started", "시작 전", "未着手"),
    "wrong": ("wrong", "틀림", "不正解"),
    "timeout": ("timed out", "시간 초과", "時間切れ"),
    "error": ("crashed", "실행 오류", "実行時エラー"),
    "blocked": ("blocked by {by}", "{by} 완료 후 진행", "{by}の完了待ち"),
    "untested": ("no test ran (skipped: {why})", "실행된 테스트 없음 (건너뜀: {why})",
                 "実行されたテストなし（スキップ: {why}）"),
    "progress": ("{done}/{total} {bar}", "{done}/{total} {bar}", "{done}/{total} {bar}"),
    "next": ("Next: {id} {title} — {status}", "다음: {id} {title} — {status}", "次: {id} {title} — {status}"),
    "also": ("Also: {id} {title} — {status}", "이것도 확인: {id} {title} — {status}",
             "こちらも確認: {id} {title} — {status}"),
    "all_done": ("All {total} exercises pass. You have written Chapter 5's backpropagation yourself!",
                 "연습 {total}개를 모두 통과했습니다. 5장의 오차역전파법을 직접 구현해 냈습니다!",
                 "全{total}問の演習をすべてパスしました。第5章の誤差逆伝播法を自分の手で実装できました！"),
    "all_done_next": ("Next: train the book's network on MNIST with your own code, `make kata-train` (python -m kata "
                      "train), and draw the chapter's graphs with your values, `make graph`.",
                      "다음으로 여러분이 작성한 코드로 책의 신경망을 MNIST에서 학습시켜 보세요: `make kata-train` "
                      "(python -m kata train). 여러분의 값으로 그린 5장의 계산 그래프는 `make graph`로 볼 수 있습니다.",
                      "次は、自分で書いたコードで本書のニューラルネットワークをMNISTで学習させてみましょう: "
                      "`make kata-train`（python -m kata train）。自分の値で描いた5章の計算グラフは`make graph`で"
                      "見られます。"),
    "printed": ("your code printed ({n} lines; all of it in the full log):",
                "여러분의 코드가 출력한 내용 ({n}줄, 전체는 로그에 있음):",
                "あなたのコードが出力した内容（{n}行。全体はログにあります）:"),
    "tested_files": ("Tested your files:", "테스트한 여러분의 파일:", "テストしたファイル:"),
    "wrong_file": ("ERROR: {name} was imported from {path}, not from your workspace {ws}: "
                   "these results are NOT about your code.",
                   "오류: {name}을(를) 작업 공간 {ws}가 아닌 {path}에서 가져왔습니다. "
                   "이 결과는 여러분의 코드에 대한 것이 아닙니다.",
                   "エラー: {name}が作業フォルダ{ws}ではなく{path}から読み込まれました。"
                   "この結果はあなたのコードを確認したものではありません。"),
    "not_started_help": ("{where} still raises NotImplementedError: write its body (the check_ lines "
                         "above it may stay or go).",
                         "{where}은(는) 아직 NotImplementedError를 일으킵니다. 본문을 작성하세요 "
                         "(위에 있는 check_ 줄은 남겨 두어도, 지워도 됩니다).",
                         "{where}はまだNotImplementedErrorを送出します。本体を書いてください"
                         "（上にあるcheck_の行は残しても消してもかまいません）。"),
    "tests_pass": ("{passed} of {total} tests pass", "테스트 {total}개 중 {passed}개 통과",
                   "テスト{total}件中{passed}件に合格"),
    "note": ("note", "참고", "補足"),
    "note_one": ("1 note", "참고 1개", "補足1件"),
    "notes_count": ("{n} notes", "참고 {n}개", "補足{n}件"),
    "cached": ("(remembered: unchanged since it passed)", "(지난 결과: 통과한 뒤로 바뀌지 않음)",
               "（前回の結果: 合格してから変更なし）"),
    "strict_on": ("strict: notes are required", "엄격 모드: 참고 사항도 필수", "厳格モード: 補足も必須"),
    "strict_hint": ("The notes above are what the reference does beyond the book; "
                    "`make check STRICT=1` (python -m kata check --strict) requires them too.",
                    "위의 참고 사항은 참고 구현이 책의 코드보다 더 해 두는 일입니다. `make check STRICT=1` "
                    "(python -m kata check --strict)은 이것까지 요구합니다.",
                    "上の補足は、参考実装が本のコードよりも踏み込んで行っていることです。"
                    "`make check STRICT=1`（python -m kata check --strict）では、これらも必須になります。"),
    "not_checked": ("not checked yet", "아직 확인 안 함", "未確認"),
    "not_checked_help": ("checked once the exercises before it are done.",
                         "앞의 연습을 끝내면 확인합니다.",
                         "前の演習が終わると確認します。"),
    "shadowing": ("WARNING: {files} in your workspace hide(s) a Python module of the same name that the tests "
                  "import: rename the file (e.g. my_random.py).",
                  "경고: 작업 공간의 {files}이(가) 테스트가 import하는 같은 이름의 파이썬 모듈을 가립니다. "
                  "파일 이름을 바꾸세요 (예: my_random.py).",
                  "警告: 作業フォルダの{files}が、テストがimportする同じ名前のPythonモジュールを隠しています。"
                  "ファイル名を変えてください（例: my_random.py）。"),
    "pytest_failed": ("pytest did not run (exit {code}):\n{tail}",
                      "pytest가 실행되지 않았습니다 (종료 코드 {code}):\n{tail}",
                      "pytestを実行できませんでした（終了コード{code}）:\n{tail}"),
    "blocked_help": ("Finish {by} first: this exercise uses it.",
                     "{by}을(를) 먼저 끝내세요. 이 연습에서 그것을 사용합니다.",
                     "先に{by}を終わらせてください。この演習ではそれを使います。"),
    "timeout_help": ("timed out after {secs} s: an endless loop? (or a Python loop over every sample: "
                     "use whole-array numpy operations)",
                     "{secs}초가 지나 시간 초과: 끝나지 않는 반복문이 있나요? (또는 샘플마다 도는 파이썬 "
                     "반복문: 배열 전체에 대한 numpy 연산을 쓰세요)",
                     "{secs}秒で時間切れ: 無限ループになっていませんか？（あるいはサンプルごとに回す"
                     "Pythonのループ: 配列全体に対するNumPyの演算を使いましょう）"),
    "deadline_where": ("Timed out: the check was stopped after {secs} s in {func} ({where}): an endless loop?",
                       "시간 초과: {secs}초가 지나 {func} ({where})에서 확인을 멈췄습니다. "
                       "끝나지 않는 반복문이 있나요?",
                       "時間切れ: {secs}秒経ったので{func}（{where}）で確認を止めました。"
                       "無限ループになっていませんか？"),
    "deadline": ("Timed out: the check was stopped after {secs} s (no line of your code was running): "
                 "the full log may say more.",
                 "시간 초과: {secs}초가 지나 확인을 멈췄습니다 (그때 여러분의 코드는 실행 중이 아니었습니다). "
                 "자세한 내용은 전체 로그를 보세요.",
                 "時間切れ: {secs}秒経ったので確認を止めました（そのときあなたのコードは実行中ではありません"
                 "でした）。詳しくはログ全体を見てください。"),
    "graph_drawn": ("the computational graph with your values (red: where they differ from the reference): {path}",
                    "여러분의 값으로 그린 계산 그래프 (빨간색: 참고 구현과 값이 다른 곳): {path}",
                    "あなたの値で描いた計算グラフ（赤: 参考実装と値が異なる箇所）: {path}"),
    "terminated": ("Stopped ({how}): nothing was changed.", "멈췄습니다 ({how}). 아무것도 바꾸지 않았습니다.",
                   "中断しました（{how}）。何も変更していません。"),
    "interrupted_saved": ("Stopped ({how}) after {files} had been saved: the new version is in place "
                          "(`python -m kata restore` lists the backups of earlier versions).",
                          "멈췄습니다 ({how}). 멈추기 전에 {files}은(는) 이미 저장되어 새 버전이 들어가 있습니다 "
                          "(이전 버전의 백업은 `python -m kata restore`로 볼 수 있습니다).",
                          "中断しました（{how}）。中断の前に{files}は保存済みで、新しい版になっています"
                          "（以前の版のバックアップは`python -m kata restore`で一覧できます）。"),
    "interrupted": ("Stopped (Ctrl-C): nothing was changed.", "멈췄습니다 (Ctrl-C). 아무것도 바꾸지 않았습니다.",
                    "中断しました（Ctrl-C）。何も変更していません。"),
    "not_checked_last": ("not checked yet (last time: {last})", "아직 확인 안 함 (지난번: {last})",
                         "未確認（前回: {last}）"),
    "test": ("test", "테스트", "テスト"),
    "your_code": ("your code", "여러분의 코드", "あなたのコード"),
    "failed_at": ("failed at", "실패 위치", "失敗した箇所"),
    "hint_cmd": ("Stuck? `make hint EX={id}` (hints seen: {level}/{levels})",
                 "막혔나요? `make hint EX={id}` (본 힌트: {level}/{levels})",
                 "行き詰まったら `make hint EX={id}`（見たヒント: {level}/{levels}）"),
    "full_log": ("Full pytest output: {path}", "pytest 전체 출력: {path}", "pytestの出力全体: {path}"),
    "collect_error": ("Your code does not import — fix this first:",
                      "여러분의 코드를 import할 수 없습니다 — 이것부터 고치세요:",
                      "あなたのコードをimportできません — まずここを直してください:"),
    "collect_error_tests": ("A test module could not be imported (the tests, not your code?):",
                            "테스트 모듈을 import할 수 없습니다 (여러분의 코드가 아니라 테스트 쪽 문제일 수 "
                            "있습니다):",
                            "テストモジュールをimportできません（あなたのコードではなく、テスト側の問題かも"
                            "しれません）:"),
    "tamper": ("WARNING: these test/tooling files changed since `make kata`: {files}. "
               "Results may be meaningless. (To accept an intentional update: "
               "python -m kata init --accept-tests)",
               "경고: `make kata` 이후 테스트/도구 파일이 바뀌었습니다: {files}. 결과를 믿을 수 "
               "없습니다. (의도한 업데이트라면: python -m kata init --accept-tests)",
               "警告: `make kata`の後でテスト/ツールのファイルが変更されています: {files}。この結果は"
               "当てになりません。（意図した更新なら: python -m kata init --accept-tests）"),
    "no_workspace": ("No workspace yet: run `make kata` (python -m kata init) first.",
                     "작업 공간이 아직 없습니다. 먼저 `make kata` (python -m kata init)를 실행하세요.",
                     "作業フォルダがまだありません。先に`make kata`（python -m kata init）を実行してください。"),
    "ws_exists": ("{ws} already exists: nothing was touched. Keep working there, or move it away "
                  "to start over.",
                  "{ws}이(가) 이미 있어서 아무것도 바꾸지 않았습니다. 그곳에서 계속하거나, 처음부터 다시 "
                  "하려면 다른 곳으로 옮겨 두세요.",
                  "{ws}はすでにあるので、何も変更していません。そのまま続けるか、最初からやり直すなら"
                  "別の場所へ移してください。"),
    "ws_created": ("Created your workspace {ws}: edit the stubbed functions there, then run "
                   "`make check`.",
                   "작업 공간 {ws}을(를) 만들었습니다. 그 안의 비어 있는 함수들을 작성한 뒤 `make check`를 "
                   "실행하세요.",
                   "作業フォルダ{ws}を作りました。中にある未実装の関数を書いてから、`make check`を"
                   "実行してください。"),
    "hint_header": ("Hint {level}/{levels} for {id} {title}:", "{id} {title} 힌트 {level}/{levels}:",
                    "{id} {title}のヒント {level}/{levels}:"),
    "hint_last": ("That was the last hint level. `make check` shows what the tests expect.",
                  "마지막 힌트였습니다. 테스트가 무엇을 기대하는지는 `make check`로 볼 수 있습니다.",
                  "これが最後のヒントです。テストが何を期待しているかは`make check`で確認できます。"),
    "backup_saved": ("Saved your current {file} to {backup}", "현재 {file}을(를) {backup}에 저장했습니다",
                     "現在の{file}を{backup}に保存しました"),
    "reset_done": ("Restored the stubs of {id}: {names} (the rest of your file is unchanged).",
                   "{id}의 스텁을 되돌렸습니다: {names} (파일의 나머지 부분은 그대로입니다).",
                   "{id}のスタブを元に戻しました: {names}（ファイルのほかの部分はそのままです）。"),
    "no_backups": ("No backups yet.", "백업이 아직 없습니다.", "バックアップはまだありません。"),
    "restored": ("Restored {file} from {backup}", "{backup}에서 {file}을(를) 복원했습니다",
                 "{backup}から{file}を復元しました"),
    "watching": ("Watching {ws} (polling every {secs} s). Save a file to re-run; Ctrl-C to stop.",
                 "{ws} 감시 중 ({secs}초마다 확인). 파일을 저장하면 다시 실행합니다. 멈추려면 Ctrl-C.",
                 "{ws}を監視しています（{secs}秒ごとに確認）。ファイルを保存すると再実行します。"
                 "終了はCtrl-C。"),
    "changed": ("Saved: {files} — checking again...", "저장됨: {files} — 다시 확인하는 중...",
                "保存されました: {files} — もう一度確認しています..."),
    "reset_syntax": ("{path}:{line}: syntax error ({msg}); fix it first, or restore a whole earlier file with "
                     "`python -m kata restore`",
                     "{path}:{line}: 문법 오류입니다 ({msg}). 먼저 고치거나, `python -m kata restore`로 이전 파일 "
                     "전체를 되돌리세요.",
                     "{path}:{line}: 構文エラーです（{msg}）。先に直すか、`python -m kata restore` で以前のファイル"
                     "全体を戻してください。"),
    "reset_unparsable": ("{path}: cannot be parsed ({err}); fix it first, or restore a whole earlier file with "
                         "`python -m kata restore`",
                         "{path}: 파이썬 코드로 읽을 수 없습니다 ({err}). 먼저 고치거나, `python -m kata restore`로 "
                         "이전 파일 전체를 되돌리세요.",
                         "{path}: Python のコードとして読めません（{err}）。先に直すか、`python -m kata restore` で"
                         "以前のファイル全体を戻してください。"),
    "reset_missing": ("{path}: {qualname} is missing; `python -m kata restore` can bring back a whole earlier file",
                      "{path}: {qualname}이(가) 없습니다. `python -m kata restore`로 이전 파일 전체를 되돌릴 수 "
                      "있습니다.",
                      "{path}: {qualname} がありません。`python -m kata restore` で以前のファイル全体を戻せます。"),
    "no_backup": ("no backup {which}; `python -m kata restore` lists them",
                  "{which}이라는 백업은 없습니다. `python -m kata restore`가 백업 목록을 보여 줍니다.",
                  "{which} というバックアップはありません。`python -m kata restore` で一覧を表示できます。"),
    # --- the computational graphs (kata/graph.py): titles, legend, caption -------------------
    "graph_title_buy_apple": (
        "buy_apple (section 5.4.1, Figure 5-16): 2 apples at 100, 10% tax",
        "buy_apple (5.4.1절, 그림 5-16): 100원짜리 사과 2개, 소비세 10%",
        "buy_apple（5.4.1節、図5-16）：1個100円のりんご2個、消費税10%"),
    "graph_title_buy_apple_orange": (
        "buy_apple_orange (section 5.4.2, Figure 5-17): 2 apples at 100, 3 oranges at 150, 10% tax",
        "buy_apple_orange (5.4.2절, 그림 5-17): 100원짜리 사과 2개, 150원짜리 귤 3개, 소비세 10%",
        "buy_apple_orange（5.4.2節、図5-17）：1個100円のりんご2個、1個150円のみかん3個、消費税10%"),
    "graph_title_MulLayer": (
        "MulLayer (sections 5.3.2, 5.4.1): z = x * y, backward swaps the inputs",
        "MulLayer (5.3.2절, 5.4.1절): z = x * y, 역전파는 입력을 서로 바꿔 곱합니다",
        "MulLayer（5.3.2節、5.4.1節）：z = x * y、逆伝播では入力をひっくり返して掛けます"),
    "graph_title_AddLayer": (
        "AddLayer (sections 5.3.1, 5.4.2): z = x + y, backward passes dout on",
        "AddLayer (5.3.1절, 5.4.2절): z = x + y, 역전파는 dout을 그대로 흘려보냅니다",
        "AddLayer（5.3.1節、5.4.2節）：z = x + y、逆伝播は dout をそのまま流します"),
    "graph_title_Relu": (
        "Relu (section 5.5.1): y = max(0, x), the gradient flows where x > 0",
        "Relu (5.5.1절): y = max(0, x), x > 0인 곳으로만 기울기가 흐릅니다",
        "Relu（5.5.1節）：y = max(0, x)、x > 0 のところだけ勾配が流れます"),
    "graph_title_Sigmoid": (
        "Sigmoid (section 5.5.2): y = 1 / (1 + exp(-x)), dx = dout * y * (1 - y)",
        "Sigmoid (5.5.2절): y = 1 / (1 + exp(-x)), 역전파는 dx = dout * y * (1 - y)",
        "Sigmoid（5.5.2節）：y = 1 / (1 + exp(-x))、逆伝播は dx = dout * y * (1 - y)"),
    "graph_title_Affine": (
        "Affine (section 5.6.2): Y = X·W + B; dX = dY·Wᵀ, dW = Xᵀ·dY, dB = sum of dY over the batch",
        "Affine (5.6.2절): Y = X·W + B; dX = dY·Wᵀ, dW = Xᵀ·dY, dB = 배치 방향의 dY 합",
        "Affine（5.6.2節）：Y = X·W + B; dX = dY·Wᵀ、dW = Xᵀ·dY、dB = バッチ方向の dY の和"),
    "graph_title_SoftmaxWithLoss": (
        "SoftmaxWithLoss (section 5.6.3): L = cross entropy of softmax(a), dL/da = (y - t) / N",
        "SoftmaxWithLoss (5.6.3절): L = softmax(a)의 교차 엔트로피 오차, dL/da = (y - t) / N",
        "SoftmaxWithLoss（5.6.3節）：L = softmax(a) の交差エントロピー誤差、dL/da = (y - t) / N"),
    "graph_legend_forward": ("forward value above each edge (→), ", "순전파 값은 각 간선 위 (→), ",
                             "順伝播の値は各エッジの上（→）、"),
    "graph_legend_backward": ("backward value below (←)", "역전파 값은 아래 (←)", "逆伝播の値は下（←）"),
    "graph_red_reference": ("red: differs from the reference (shown beside yours)",
                            "빨간색: 참고 구현과 다른 값 (여러분의 값 옆에 표시)",
                            "赤：参考実装と異なる値（自分の値の横に表示）"),
    "graph_red_expected": ("red: differs from the hand-computed values (shown beside yours)",
                           "빨간색: 손으로 계산한 값과 다른 값 (여러분의 값 옆에 표시)",
                           "赤：手計算の値と異なる値（自分の値の横に表示）"),
    "graph_not_computed": ("(not computed)", "(계산되지 않음)", "（計算されていません）"),
    "graph_reference": ("reference", "참고 구현", "参考実装"),
    "graph_yours": ("yours", "여러분의 값", "あなたの値"),
    "graph_values_from": ("values from {path}", "{path}의 값", "{path} の値"),
    "graph_could_not_draw": ("could not draw: {err}", "그래프를 그릴 수 없습니다: {err}", "グラフを描けません：{err}"),
    "graph_error": ("error", "오류", "エラー"),
    "checking_next": ("Checking the next exercises...", "다음 연습을 확인하는 중...", "次の演習を確認しています..."),
    "bad_exercise": ("Unknown exercise {id}; known: {known}", "{id}라는 연습은 없습니다. 연습 목록: {known}",
                     "演習{id}はありません。演習の一覧: {known}"),
    "timeouts_note": ("(slow tests were skipped: --fast)", "(--fast: 느린 테스트는 건너뛰었습니다)",
                      "（--fast: 時間のかかるテストは省きました）"),
    "compare_header": ("{id} {title}: the reference (-) and yours (+). Both pass; compare the ways.",
                       "{id} {title}: 참고 구현(-)과 여러분의 코드(+). 둘 다 통과합니다. 어떻게 다르게 "
                       "풀었는지 비교해 보세요.",
                       "{id} {title}: 参考実装（-）とあなたのコード（+）。どちらも合格しています。"
                       "書き方を比べてみましょう。"),
    "compare_same": ("{name}: the same as the reference.", "{name}: 참고 구현과 같습니다.",
                     "{name}: 参考実装と同じです。"),
    "compare_missing": ("{name}: not found in {path}.", "{name}: {path}에서 찾을 수 없습니다.",
                        "{name}: {path}に見つかりません。"),
    "compare_not_done": ("{id} is not done in your last `make check`: compare shows the reference only "
                         "after your code passes (no spoilers). Stuck? `make hint EX={id}`.",
                         "마지막 `make check`에서 {id}은(는) 아직 완료되지 않았습니다. 비교는 여러분의 코드가 "
                         "통과한 뒤에만 참고 구현을 보여 줍니다 (스포일러 방지). 막혔나요? `make hint EX={id}`.",
                         "前回の`make check`では{id}はまだ完了していません。比較で参考実装が見られるのは、"
                         "あなたのコードが合格してからです（ネタバレ防止）。行き詰まったら`make hint EX={id}`。"),
    "compare_nothing_done": ("No exercise is done yet in your last `make check`: nothing to compare.",
                             "마지막 `make check`에서 완료된 연습이 아직 없어 비교할 것이 없습니다.",
                             "前回の`make check`で完了した演習がまだないので、比べるものがありません。"),
    "ws_symlink": ("{file} is a symbolic link (to {target}): kata never writes through a link, so nothing "
                   "was changed. Replace the link with a regular file (a copy of what it points to), then "
                   "run the command again.",
                   "{file}은(는) 심볼릭 링크입니다 ({target}을(를) 가리킴). kata는 링크를 통해 쓰지 않으므로 "
                   "아무것도 바꾸지 않았습니다. 링크를 일반 파일(가리키는 파일의 복사본)로 바꾼 뒤 명령을 다시 "
                   "실행하세요.",
                   "{file}はシンボリックリンクです（リンク先: {target}）。kataはリンク越しには書き込まないので、"
                   "何も変更していません。リンクを通常のファイル（リンク先のコピー）に置き換えてから、"
                   "もう一度コマンドを実行してください。"),
    "ws_not_regular": ("{file} is not a regular file: nothing was changed.",
                       "{file}은(는) 일반 파일이 아닙니다. 아무것도 바꾸지 않았습니다.",
                       "{file}は通常のファイルではありません。何も変更していません。"),
    "ws_is_reference": ("{file} is the reference file {ref} itself, not a workspace copy: nothing was "
                        "changed. Use your workspace (default workspace/).",
                        "{file}은(는) 작업 공간의 복사본이 아니라 참고 구현 파일 {ref} 자체입니다. 아무것도 "
                        "바꾸지 않았습니다. 작업 공간(기본값 workspace/)을 사용하세요.",
                        "{file}は作業フォルダのコピーではなく、参考実装のファイル{ref}そのものです。"
                        "何も変更していません。作業フォルダ（既定ではworkspace/）を使ってください。"),
    "write_failed": ("Could not write {file} ({err}): your file was not changed.",
                     "{file}을(를) 쓸 수 없습니다 ({err}). 여러분의 파일은 바뀌지 않았습니다.",
                     "{file}に書き込めませんでした（{err}）。あなたのファイルは変更されていません。"),
    "read_failed": ("Could not read {file} ({err}): nothing was changed.",
                    "{file}을(를) 읽을 수 없습니다 ({err}). 아무것도 바꾸지 않았습니다.",
                    "{file}を読み込めませんでした（{err}）。何も変更していません。"),
    "ws_unwritable": ("WARNING: cannot write {path} ({err}). Results are shown but not remembered "
                      "(current exercise, hint levels, last log).",
                      "경고: {path}에 쓸 수 없습니다 ({err}). 결과는 보여 주지만 기억하지 않습니다 "
                      "(현재 연습, 힌트 단계, 마지막 로그).",
                      "警告: {path}に書き込めません（{err}）。結果は表示しますが、記録はしません"
                      "（現在の演習、ヒントの段階、前回のログ）。"),
    "state_unreadable": ("WARNING: cannot read {path} ({err}): starting over with a fresh state "
                         "(hint levels and last results are forgotten).",
                         "경고: {path}을(를) 읽을 수 없습니다 ({err}). 새 상태로 다시 시작합니다 "
                         "(힌트 단계와 마지막 결과는 잊습니다).",
                         "警告: {path}を読み込めません（{err}）。状態を初期化してやり直します"
                         "（ヒントの段階と前回の結果は失われます）。"),
    "state_invalid": ("WARNING: {path} is damaged ({why}): starting over with a fresh state for what "
                      "was damaged (hint levels and last results may be forgotten). A copy of the "
                      "damaged file is kept in {backup}.",
                      "경고: {path}이(가) 손상되었습니다 ({why}). 손상된 부분은 새 상태로 다시 시작합니다 "
                      "(힌트 단계와 마지막 결과를 잊을 수 있습니다). 손상된 파일의 복사본은 {backup}에 "
                      "있습니다.",
                      "警告: {path}が壊れています（{why}）。壊れた部分は状態を初期化してやり直します"
                      "（ヒントの段階と前回の結果が失われることがあります）。壊れたファイルのコピーは"
                      "{backup}にあります。"),
    "state_invalid_nocopy": ("WARNING: {path} is damaged ({why}): starting over with a fresh state for "
                             "what was damaged; no copy could be kept ({err}).",
                             "경고: {path}이(가) 손상되었습니다 ({why}). 손상된 부분은 새 상태로 다시 "
                             "시작합니다. 복사본은 남기지 못했습니다 ({err}).",
                             "警告: {path}が壊れています（{why}）。壊れた部分は状態を初期化してやり直します。"
                             "コピーは残せませんでした（{err}）。"),
    "empty_learner_file": ("{file} is empty (0 bytes: perhaps a crash while saving). `make restore` lists "
                           "your backups; `make restore B=<number>` brings one back.",
                           "{file}이(가) 비어 있습니다 (0바이트: 저장하다가 비정상 종료되었을 수 있습니다). "
                           "`make restore`로 백업 목록을 보고, `make restore B=<번호>`로 되돌릴 수 있습니다.",
                           "{file}が空です（0バイト: 保存中に異常終了したのかもしれません）。`make restore`で"
                           "バックアップの一覧を表示し、`make restore B=<番号>`で元に戻せます。"),
    "compare_exported": ("This repository has no reference solutions (it was exported for learners): "
                         "ask your instructor to compare.",
                         "이 저장소에는 참고 구현이 없습니다 (학습자용으로 내보낸 저장소입니다). 비교는 강사에게 "
                         "요청하세요.",
                         "このリポジトリには参考実装が入っていません（学習者向けにエクスポートされたものです）。"
                         "比較は講師にお願いしてください。"),
    # kata/notebook.py (check cells in Jupyter/Colab)
    "nb_written": ("Wrote {path}: open it in Jupyter (make lab) or upload it to Colab.",
                   "{path}을(를) 만들었습니다. Jupyter(make lab)에서 열거나 Colab에 올리세요.",
                   "{path}を書き出しました。Jupyter（make lab）で開くか、Colabにアップロードしてください。"),
    "nb_backed_up": ("The existing notebook was backed up to {path}.", "기존 노트북을 {path}에 백업했습니다.",
                     "既存のノートブックを{path}にバックアップしました。"),
    "nb_syntax": ("Your cell for {id} does not parse (line {line}: {msg}) {text}: nothing was copied; "
                  "your workspace and notebook are unchanged.",
                  "{id}의 셀을 해석할 수 없습니다 ({line}번째 줄: {msg}) {text}. 아무것도 복사하지 않았으므로 "
                  "작업 공간과 노트북은 그대로입니다.",
                  "{id}のセルを解析できません（{line}行目: {msg}）{text}。何もコピーしていないので、"
                  "作業フォルダとノートブックはそのままです。"),
    "nb_module_syntax": ("Your workspace file {path} does not parse (line {line}: {msg}) {text}: the error is in "
                         "that file, not in your cell. Nothing was copied; fix the file, or restore an earlier one "
                         "with `python -m kata restore`.",
                         "작업 공간의 파일 {path}을(를) 해석할 수 없습니다 ({line}번째 줄: {msg}) {text}. 오류는 셀이 "
                         "아니라 이 파일에 있습니다. 아무것도 복사하지 않았습니다. 파일을 고치거나 "
                         "`python -m kata restore`로 이전 파일을 되돌리세요.",
                         "作業フォルダのファイル{path}を解析できません（{line}行目: {msg}）{text}。エラーはセルでは"
                         "なくこのファイルにあります。何もコピーしていません。ファイルを直すか、"
                         "`python -m kata restore`で以前のファイルに戻してください。"),
    "nb_no_cell": ("No executed cell defines {names} ({id}): run the exercise's code cell first. "
                   "Checking the workspace file as it is.",
                   "{names}({id})을(를) 정의하는 셀이 아직 실행되지 않았습니다. 연습의 코드 셀을 먼저 "
                   "실행하세요. 지금은 작업 공간의 파일을 그대로 확인합니다.",
                   "{names}（{id}）を定義するセルがまだ実行されていません。先に演習のコードセルを実行して"
                   "ください。今回は作業フォルダのファイルをそのまま確認します。"),
    "nb_missing": ("Your cell does not define {names}: the workspace keeps its version.",
                   "셀에서 {names}을(를) 정의하지 않았습니다. 작업 공간의 코드를 그대로 둡니다.",
                   "セルで{names}が定義されていません。作業フォルダのコードをそのまま使います。"),
    "nb_not_in_module": ("{name} is not in your {module}.py: `make kata-reset` puts its stub back.",
                         "{module}.py에 {name}이(가) 없습니다. `make kata-reset`으로 스텁을 되돌리세요.",
                         "{module}.pyに{name}がありません。`make kata-reset`でスタブを元に戻せます。"),
    "nb_numpy": ("Your cell rebinds {name} (numpy's name): the tests need numpy there. Rename it; nothing "
                 "was copied.",
                 "셀에서 {name}(numpy의 이름)을 다시 정의합니다. 테스트에는 그 이름의 numpy가 필요합니다. "
                 "이름을 바꾸세요. 아무것도 복사하지 않았습니다.",
                 "セルで{name}（NumPyの名前）を上書きしています。テストではその名前でNumPyを使います。"
                 "名前を変えてください。何もコピーしていません。"),
    "nb_helper": ("helper {name} copied too.", "보조 함수 {name}도 복사했습니다.",
                  "補助関数{name}もコピーしました。"),
    "nb_imports": ("imports added: {imports}", "추가한 import: {imports}", "追加したimport: {imports}"),
    "nb_top_level": ("top-level statements (line {lines}) are not copied: only imports, functions and the "
                     "exercise's class are.",
                     "최상위 문장({lines}번째 줄)은 복사하지 않습니다. import, 함수, 연습의 클래스만 복사합니다.",
                     "トップレベルの文（{lines}行目）はコピーしません。コピーするのはimport、関数、"
                     "演習のクラスだけです。"),
    "nb_copied": ("Your cell was copied into {path} (the previous file is in the backups).",
                  "셀의 코드를 {path}에 복사했습니다 (이전 파일은 백업에 있습니다).",
                  "セルのコードを{path}にコピーしました（以前のファイルはバックアップにあります）。"),
}
