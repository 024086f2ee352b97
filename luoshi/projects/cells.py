"""What a ledger cell says, read the way offices write it: the stage a progress report says was reached,
blockers split out of prose, and the categories behind a few words (money and dates: luoshi.sheets.values).
Pure functions: no workbook, no database."""

import re

from luoshi.projects.choices import BlockerCategory, Category, Construction, Level, Stage

# The life cycle in prose, most advanced first. 施工许可 and 施工图 are approvals, not a started site.
_STAGE_WORDS: list[tuple[Stage, tuple[str, ...]]] = [
    (Stage.FULL_PRODUCTION, ("达产", "达效")),
    (Stage.IN_PRODUCTION, ("投产", "试生产", "投入生产", "投用")),
    (Stage.COMPLETED, ("竣工", "完工", "建成")),
    (Stage.CAPPED, ("封顶",)),
    (Stage.STARTED, ("开工", "在建", "施工", "建设中", "复工", "续建", "安装")),
    (Stage.SIGNED, ("签约", "签订")),
    (Stage.NEGOTIATING, ("洽谈", "在谈")),
    (Stage.PLANNING, ("谋划", "前期", "储备")),
]
_NOT_STAGE = re.compile(r"施工许可证?|施工图|开工前|开工手续|竣工验收备案")
# The tense of what follows, up to the next such word: a stage announced ("计划年底竣工", "力争6月投产"), denied
# ("尚未开工") or reached ("已完成设备安装", "正在施工"). An announcement governs the clauses after it in its
# sentence ("预计8月底完工，9月上旬试生产") until one says otherwise.
_TENSE = re.compile(
    r"(?P<ahead>计划|拟|预计|争取|力争|将于|即将|确保|预期|有望|准备)|(?P<not>未|待)|(?P<done>已|正在|目前|现已|完成了)"
)
_SENTENCE = re.compile(r"[。；;\n]")
_CLAUSE = re.compile(r"[，,]")


def _tense(text: str, carried: str | None) -> str | None:
    """The last tense word's kind in `text` ("ahead", "not" or "done"), else the one carried into it."""
    words = _TENSE.findall(text)
    if not words:
        return carried
    ahead, denied, _done = words[-1]
    return "ahead" if ahead else "not" if denied else "done"


def read_stage(text: str) -> Stage | None:
    """The most advanced stage the prose says was reached. A plan or expectation never counts as done, but a
    later stage expected ("预计8月底完工") means the works are under way — unless the start is still ahead."""
    found: Stage | None = None
    expected = start_ahead = False
    for sentence in _SENTENCE.split(_NOT_STAGE.sub("", text)):
        carried: str | None = None
        for clause in _CLAUSE.split(sentence):
            for stage, words in _STAGE_WORDS:
                hit = next((clause.find(w) for w in words if w in clause), -1)
                if hit < 0:
                    continue
                if _tense(clause[:hit], carried) in ("ahead", "not"):
                    expected = expected or stage > Stage.STARTED
                    start_ahead = start_ahead or stage <= Stage.STARTED
                    continue  # a lower stage in the same clause may still have been reached
                found = max(found or stage, stage)
                break
            tense = _tense(clause, carried)
            carried = None if tense == "not" else tense  # "尚未开工，…" denies only its own clause
    if expected and not start_ahead and (found is None or found < Stage.STARTED):
        return Stage.STARTED
    return found


def read_stage_cell(text: str) -> Stage | None:
    """A stage column: its label ("主体封顶"), the English slug, or any stage word."""
    compact = re.sub(r"\s+", "", text)
    for stage in Stage:
        if compact in (str(stage.label), stage.slug, stage.name):
            return stage
    return read_stage(compact)


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_MARKER = re.compile(rf"^\s*(?:\d{{1,2}}\s*[.、．](?!\d)|[（(]\d{{1,2}}[)）]|[{_CIRCLED}])\s*")
_NO_BLOCKER = frozenset(("无", "暂无", "无问题", "没有", "暂无问题", "/", "-", "—"))


def _numbered_marker(n: int) -> re.Pattern[str]:
    circled = _CIRCLED[n - 1] if n <= len(_CIRCLED) else "\0"
    return re.compile(rf"(?:(?<!\d){n}\s*[.、．](?!\d)|[（(]{n}[)）]|{circled})")


def split_blockers(text: str) -> list[str]:
    """Prose → separate blockers: split on ；/; and line breaks, and at "1.…2.…" numbering."""
    out: list[str] = []
    for piece in re.split(r"[；;\n\r]+", text):
        starts: list[int] = []
        pos, n = 0, 1
        if _numbered_marker(1).match(piece.lstrip()):
            while match := _numbered_marker(n).search(piece, pos):
                starts.append(match.start())
                pos, n = match.end(), n + 1
        cuts = starts[1:] if starts else []
        for part in (piece[a:b] for a, b in zip([0, *cuts], [*cuts, len(piece)], strict=True)):
            item = _MARKER.sub("", part).strip(" \t\u3000。，,；;")
            if item and item not in _NO_BLOCKER:
                out.append(item)
    return out


_BLOCKER_WORDS: list[tuple[str, tuple[str, ...]]] = [
    (BlockerCategory.DEMOLITION, ("拆迁", "征收", "征迁")),
    (BlockerCategory.LAND, ("用地", "土地", "供地", "地块")),
    (BlockerCategory.FUNDING, ("资金", "融资", "贷款", "专项债")),
    (BlockerCategory.APPROVALS, ("审批", "手续", "许可", "环评", "能评", "规划")),
    (BlockerCategory.UTILITIES, ("供电", "供水", "供气", "管网", "水", "电", "气", "道路")),
]


def blocker_category(text: str) -> str:
    for category, words in _BLOCKER_WORDS:
        if any(w in text for w in words):
            return category
    return BlockerCategory.OTHER


_CATEGORY_WORDS: list[tuple[str, tuple[str, ...]]] = [
    (Category.INVESTMENT_ATTRACTION, ("招商",)),
    (Category.INFRASTRUCTURE, ("基础设施", "基建", "城建", "交通", "市政", "道路")),
    (Category.SOCIAL, ("社会", "民生", "公共服务", "教育", "医疗", "文化")),
    (Category.INDUSTRIAL, ("产业", "工业", "制造", "科技", "服务业", "农业")),
]


def read_category(text: str) -> str:
    for category, words in _CATEGORY_WORDS:
        if any(w in text for w in words):
            return category
    return ""


def read_level(text: str) -> str:
    for level, word in ((Level.PROVINCIAL, "省"), (Level.MUNICIPAL, "市"), (Level.DISTRICT, "区")):
        if word in text:
            return level
    return ""


def read_construction(text: str) -> str:
    if "续建" in text:
        return Construction.CONTINUING
    if "新建" in text or "新开工" in text:
        return Construction.NEW
    return ""
