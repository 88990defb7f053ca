"""Realistic case reports for the demo, the tests and the benchmarks.

A report is put together from parts, each drawn independently: how the reporter
opens (或客气或着急), what they call the thing (正式名、俗称、方言), what is wrong
with it, where it is (楼号、门口、菜场边), since when and what it causes, sometimes a
second complaint of another kind ("另外……"), how they close, and now and then a
typo (同音字、漏字) or a missing punctuation mark. The same category therefore
reads many different ways and no template belongs to one category.

records() also draws the rest of a closed case — grid, channel, hour, the category
the reporter chose (often wrong) and who finally handled it — for the benchmarks.
"""

import random
from dataclasses import dataclass

# category code → (names for the thing, what is wrong, what it causes)
TOPICS = {
    "SJ0102": (
        ["垃圾", "生活垃圾", "垃圾袋", "拉圾", "垃圾堆", "烂菜叶子", "装修垃圾"],
        ["堆了好几天没人清运", "没人收", "扔得到处都是", "满出来了", "臭烘烘的堆在那"],
        ["苍蝇蚊子多", "味道太大了", "夏天熏得受不了", "野猫野狗翻得满地都是"],
    ),
    "SJ0505": (
        ["消防通道", "生命通道", "消防车道", "楼下的通道"],
        ["被私家车堵住了", "停满了车", "又被占了", "堆满杂物", "被电瓶车堵死"],
        ["万一着火消防车进不来", "救护车上次都开不进来", "很危险"],
    ),
    "SJ0506": (
        ["共享单车", "单车", "小黄车", "电瓶车", "共享电单车", "自行车"],
        ["堆满人行道", "乱停乱放", "横七竖八倒了一地", "把盲道占了"],
        ["老人走路都绊脚", "推婴儿车过不去", "影响通行"],
    ),
    "SJ0601": (
        ["烧烤店", "广场舞", "装修的", "酒吧", "夜宵摊", "KTV", "音响"],
        ["半夜噪声扰民", "吵得要命", "声音开得老大", "放音乐到凌晨", "整晚都在闹"],
        ["根本睡不着觉", "孩子要考试了", "老人心脏受不了", "投诉了好几次"],
    ),
    "SJ0602": (
        ["楼上邻居", "隔壁那家", "对门", "楼上住户", "邻居"],
        [
            "漏水到我家",
            "把杂物堆在楼道里",
            "养狗不拴绳",
            "空调外机对着我家窗户",
            "协商不成吵起来了",
        ],
        ["沟通了好几次都没用", "差点打起来", "希望社区出面调解", "关系闹得很僵"],
    ),
    "SJ0603": (
        ["电梯", "物业", "楼道灯", "门禁", "小区大门的道闸", "二次供水"],
        [
            "经常停运",
            "坏了好久物业不修",
            "收了物业费不办事",
            "隔三差五出毛病",
            "报修没人理",
        ],
        ["老人上下楼太难了", "找物业总是推", "业主意见很大", "被困过好几次"],
    ),
    "BJ0101": (
        ["井盖", "下水道盖子", "窨井盖", "井改", "盖板"],
        ["破损了", "松动了踩上去咣当响", "不见了", "裂成两半", "塌下去一块"],
        ["有安全隐患", "小孩差点掉进去", "晚上看不见很危险", "车压过去响得很"],
    ),
    "BJ0117": (
        ["路灯", "灯", "照明灯", "路登", "那一排灯"],
        ["晚上不亮", "坏了好久", "一闪一闪的", "整条路都黑着", "白天亮晚上反而不亮"],
        ["行人看不清路", "晚上回家很害怕", "老人摔了一跤", "治安也不放心"],
    ),
    "SJ0201": (
        ["小广告", "牛皮癣", "办证广告", "贴的广告", "喷的电话号码", "传单"],
        ["贴满了", "到处都是", "刚清理又贴上", "喷得密密麻麻"],
        ["太影响市容", "看着心烦", "墙都花了", "清都清不完"],
    ),
    "BJ0402": (
        ["行道树", "大树", "树", "树枝", "绿化树", "那棵老槐树"],
        [
            "倒伏压住电线",
            "枝子断了挂在半空",
            "歪了快倒了",
            "长得挡住窗户",
            "被风刮断了",
        ],
        ["下面天天有人走", "怕砸到人", "刮风的时候吓人", "挡光线"],
    ),
    "SJ0502": (
        ["摊贩", "卖水果的", "小吃摊", "早餐摊", "流动摊点", "卖菜的"],
        ["占道经营", "把人行道占满了", "天天摆到马路上", "摊子越摆越大"],
        ["行人只能走机动车道", "油烟和垃圾一大堆", "堵得过不去"],
    ),
    "SJ0402": (
        ["水管", "自来水管", "供水管", "管子", "水管子"],
        ["破裂了", "爆了", "一直在冒水", "漏水漏得很厉害", "裂了水喷出来"],
        ["路面都淹了", "好几栋楼停水", "浪费水", "地下都泡软了"],
    ),
    "SJ0301": (
        ["工地", "施工队", "打桩机", "装修队", "隔壁工地"],
        ["晚上还在施工", "噪音很大", "一大早就开工", "周末也不停", "夜里浇混凝土"],
        ["严重扰民", "睡不好觉", "灰也很大", "已经打过热线"],
    ),
    "SJ0105": (
        ["路面", "人行道", "街道", "这一段路", "地上"],
        ["很脏没人扫", "油污一大片", "泥巴到处都是", "落叶堆了一地", "有呕吐物"],
        ["下雨就滑", "走路要踮着脚", "清洁工好几天没来"],
    ),
    "BJ0303": (
        ["垃圾箱", "垃圾桶", "果皮箱", "分类垃圾桶", "垃圾筒"],
        ["坏了盖子合不上", "被撞翻了", "太少不够用", "烂了个洞", "缺了好几个"],
        ["垃圾都扔在地上", "臭味散出来", "狗去翻"],
    ),
    "BJ0110": (
        ["消防栓", "消火栓", "消防栓箱", "灭火器"],
        ["被撞坏了", "漏水", "被杂物挡住", "箱子里是空的", "锈死了"],
        ["着火了怎么办", "安全隐患很大", "检查的时候才发现"],
    ),
}

OPENINGS = [
    "",
    "",
    "",
    "你好，",
    "您好，",
    "我要反映个问题，",
    "投诉：",
    "师傅，",
    "麻烦管一下，",
    "网格员巡查发现：",
    "居民来电反映：",
    "再次反映，",
    "急！",
    "我是这里的住户，",
    "求助，",
    "喂，",
    "热线转来：",
]
PLACES = [
    "{compound}{building}号楼下",
    "{compound}门口",
    "{compound}{building}栋旁边",
    "{compound}东门",
    "{compound}南门外",
    "{road}上",
    "{road}和{road2}路口",
    "菜市场边上",
    "公交站旁边",
    "{compound}停车场",
    "学校门口",
    "{compound}{building}单元门口",
    "{road}{number}号门前",
    "小区后面那条巷子",
    "幼儿园对面",
    "{compound}里面",
]
ROADS = ["建设路", "人民路", "新华街", "东风路", "滨江路", "学府路", "南湖路", "和平街"]
SINCE = [
    "",
    "",
    "已经一个星期了，",
    "好几天了，",
    "昨天开始，",
    "每天晚上都这样，",
    "半个月了，",
    "这两天，",
]
CLOSINGS = [
    "",
    "",
    "希望尽快处理。",
    "请尽快派人来看看。",
    "都好几天了没人管！",
    "谢谢！",
    "投诉多次了，麻烦重视一下。",
    "拜托了",
    "急急急",
    "希望有关部门管管。",
    "盼回复。",
]
SECOND = ["另外，", "还有就是", "顺便说一下，", "对了，", "还有，"]
# the typos people make: a character for its homophone, or one dropped
TYPOS = {
    "垃": "拉",
    "圾": "级",
    "噪": "燥",
    "盖": "改",
    "灯": "登",
    "梯": "题",
    "漏": "露",
    "停": "听",
    "广": "厂",
    "道": "到",
    "通": "同",
    "修": "休",
    "电": "店",
    "线": "现",
}
NEARBY_COMPOUNDS = ["福星水岸", "翠苑", "锦绣花园", "和谐家园", "阳光小区", "幸福里"]


def describe(code, rng, *, compound=None, road=None):
    """One report of a problem of category code, in a reporter's own words."""
    names, problems, effects = TOPICS[code]
    place = rng.choice(PLACES).format(
        compound=compound or rng.choice(NEARBY_COMPOUNDS),
        building=rng.randint(1, 12),
        road=road or rng.choice(ROADS),
        road2=rng.choice(ROADS),
        number=rng.randint(1, 199),
    )
    name, problem = rng.choice(names), rng.choice(problems)
    shape = rng.random()
    if shape < 0.15:  # the shortest reports: "路灯不亮"
        text = f"{name}{problem}"
    elif shape < 0.45:
        text = f"{place}的{name}{problem}"
    elif shape < 0.7:
        text = f"{rng.choice(SINCE)}{place}{name}{problem}，{rng.choice(effects)}"
    else:
        text = (
            f"{rng.choice(OPENINGS)}{place}{rng.choice(SINCE)}{name}{problem}，"
            f"{rng.choice(effects)}。{rng.choice(CLOSINGS)}"
        )
    if rng.random() < 0.18:  # a second, lesser complaint of another kind
        other = rng.choice(sorted(set(TOPICS) - {code}))
        other_names, other_problems, _ = TOPICS[other]
        text += f"{rng.choice(SECOND)}{rng.choice(other_names)}也{rng.choice(other_problems)}"
    if rng.random() < 0.12:
        text = _typo(text, rng)
    if rng.random() < 0.1:
        text = text.replace("，", " ").replace("。", "")
    return text.strip() or name


def _typo(text, rng):
    spots = [i for i, ch in enumerate(text) if ch in TYPOS]
    if spots:
        i = rng.choice(spots)
        return text[:i] + TYPOS[text[i]] + text[i + 1 :]
    i = rng.randrange(len(text))
    return text[:i] + text[i + 1 :]


# Who handles what: a routing rule where the street has one, else what the
# street's dispatchers have done (a habit by street, which the model learns).
RULED = {
    "SJ0102": "CGJ",
    "SJ0505": "CGJ",
    "SJ0506": "CGJ",
    "BJ0117": "CGJ",
    "SJ0402": "SWJ",
    "SJ0601": "STHJ",
    "SJ0602": "grid",
    "SJ0603": "grid",
    "BJ0402": "CGJ",
    "SJ0502": "CGJ",
}
HABITS = {
    "BJ0101": ("SWJ", "CGJ"),
    "SJ0201": ("CGJ", "grid"),
    "SJ0301": ("ZJJ", "STHJ"),
    "SJ0105": ("CGJ", "grid"),
    "BJ0303": ("CGJ", "grid"),
    "BJ0110": ("YJJ", "YJJ"),
}
CHANNELS = ["snapshot", "patrol", "hotline", "building", "gig"]
# how often each category is reported (garbage and parking lead, as everywhere)
WEIGHTS = {
    "SJ0102": 14,
    "SJ0505": 9,
    "SJ0506": 10,
    "SJ0601": 9,
    "SJ0602": 6,
    "SJ0603": 8,
    "BJ0101": 5,
    "BJ0117": 7,
    "SJ0201": 6,
    "BJ0402": 3,
    "SJ0502": 7,
    "SJ0402": 3,
    "SJ0301": 5,
    "SJ0105": 5,
    "BJ0303": 4,
    "BJ0110": 2,
}


def handler(code, street):
    """The department code (or "grid") that finally handled a case."""
    if code in RULED:
        return RULED[code]
    return HABITS[code][street % 2]


@dataclass
class Record:
    text: str
    grid: str
    street: int
    channel: str
    hour: int
    weekday: int
    category: str
    department: str
    reported: str  # the category the reporter picked (often wrong)


def records(count, *, seed, grids=12):
    """count closed cases of a district with `grids` grids over two streets."""
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    codes = sorted(WEIGHTS)
    weights = [WEIGHTS[c] for c in codes]
    # each grid has its own mix: markets in one, old estates with lifts in another
    tilt = {g: {c: rng.uniform(0.3, 2.0) for c in codes} for g in range(grids)}
    result = []
    for _ in range(count):
        g = rng.randrange(grids)
        code = rng.choices(
            codes, [w * tilt[g][c] for w, c in zip(weights, codes, strict=True)]
        )[0]
        street = g * 2 // grids
        night = code in ("SJ0601", "SJ0301") and rng.random() < 0.7
        hour = rng.choice([22, 23, 0, 1]) if night else rng.randint(7, 21)
        reported = code if rng.random() < 0.75 else rng.choice(codes)
        text = describe(code, rng, compound=NEARBY_COMPOUNDS[g % 6])
        if rng.random() < 0.06:  # the dispatcher handled it as something else
            code = rng.choice(codes)
        result.append(
            Record(
                text=text,
                grid=f"G{g:02d}",
                street=street,
                channel=rng.choice(CHANNELS),
                hour=hour,
                weekday=rng.randrange(7),
                category=code,
                department=handler(code, street),
                reported=reported,
            )
        )
    return result
