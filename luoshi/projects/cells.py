"""What a ledger cell says, read the way offices write it: money in 万元 from any unit, a month from "2025.03" or
"2026年3月", the stage a progress report says was reached, blockers split out of prose, and the categories
behind a few words. Pure functions: no workbook, no database."""

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from luoshi.projects.choices import BlockerCategory, Category, Construction, Level, Stage

MAX_WAN = Decimal("1e8")  # 1 万亿元: more than any project, so a larger figure is a typo or the wrong unit
CENT = Decimal("0.01")
BLANK = frozenset(("", "-", "—", "——", "/", "／", "无", "暂无", "…", "─"))
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def read_money(value: object, factor: Decimal) -> tuple[Decimal | None, str | None]:
    """(amount in 万元, None) or (None, why not). Blank and dash cells are None without a complaint."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, _("“%(text)s”不是数字") % {"text": value}
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            return None, _("不是有效的数字")
        amount = Decimal(str(value))
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        compact = re.sub(r"[,\s]", "", text)
        if compact in BLANK:
            return None, None
        if not NUMBER.fullmatch(compact):
            return None, _("“%(text)s”不是数字，请只填写金额数字") % {"text": text}
        try:
            amount = Decimal(compact)
        except InvalidOperation:
            return None, _("“%(text)s”不是数字，请只填写金额数字") % {"text": text}
    amount = (amount * factor).quantize(CENT)
    if amount < 0:
        return None, _("金额不能为负数（%(amount)s 万元）") % {"amount": f"{amount:,}"}
    if amount > MAX_WAN:
        return None, _("金额 %(amount)s 万元大得不合理，请检查单位（万元/亿元）") % {"amount": f"{amount:,}"}
    return amount, None


_DATE_TEXT = re.compile(
    r"^(?P<y>\d{4})\s*[年.\-/]\s*(?P<m>\d{1,2})\s*(?:月\s*(?:(?P<d1>\d{1,2})\s*[日号])?|[.\-/]\s*(?P<d2>\d{1,2}))?"
)
_MONTH_ONLY = re.compile(r"^(?P<m>\d{1,2})\s*月")
_YEAR_ONLY = re.compile(r"^(?P<y>\d{4})\s*年?(?P<end>底|末)?(?:内|度)?$")


def read_date(value: object, year: int | None) -> tuple[date | None, str | None, str]:
    """(date, problem, severity): the first day of the month when only a month is given."""
    if value is None:
        return None, None, ""
    if isinstance(value, datetime):
        return value.date(), None, ""
    if isinstance(value, date):
        return value, None, ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel serial date in an unformatted cell
            return date(1899, 12, 30) + timedelta(days=int(value)), None, ""
        if 1900 <= value < 2200:  # "2025.03" typed into a number cell arrives as the float 2025.03
            y, m = int(value), round((value - int(value)) * 100)
            if m % 10 == 0 and m > 10:
                m //= 10  # 2025.3 shows "2025.3": March
            result = _make(y, m, None, str(value))
            if m == 10 and repr(value).endswith(".1"):  # 2025.10 and 2025.1 are the same number
                message = _("“%(text)s”按%(year)d年10月读取；若指1月，请写成文本“%(year)d.01”")
                return result[0], message % {"text": value, "year": y}, "warning"
            return result
        return None, _("无法识别日期“%(text)s”") % {"text": value}, "warning"
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text in BLANK or text in ("待定", "未定"):
        return None, None, ""
    if match := _DATE_TEXT.match(text):
        day = match.group("d1") or match.group("d2")
        return _make(int(match.group("y")), int(match.group("m")), int(day) if day else None, text)
    if (match := _MONTH_ONLY.match(text)) and year:
        return _make(year, int(match.group("m")), None, text)
    if match := _YEAR_ONLY.match(text):
        if match.group("end"):  # 年底: the year's last month
            return date(int(match.group("y")), 12, 1), None, ""
        message = _("“%(text)s”只有年份，按当年1月1日导入") % {"text": text}
        return date(int(match.group("y")), 1, 1), message, "warning"
    return None, _("无法识别日期“%(text)s”，请写成“2026.03”或“2026年3月”") % {"text": text}, "warning"


def _make(y: int, m: int, d: int | None, text: str) -> tuple[date | None, str | None, str]:
    try:
        return date(y, m, d or 1), None, ""
    except ValueError:
        return None, _("日期不存在：%(text)s") % {"text": text}, "error"


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
