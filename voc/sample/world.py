"""Shared vocabulary of the sample: the planted issues, brand, products, places and names.

Everything here was written for voc's demo; none of it comes from a public data set. The
language-specific sentence pools live in `pool_zh.py` and `pool_en.py`; `pools(lang)`
returns the right one.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from voc.sample import pool_en, pool_zh

BRAND_ZH = "枫点优选"
BRAND_EN = "Maplepoint"
SUPPORT_ADDRESS = "support@maplepoint.example.com"


@dataclass(frozen=True)
class IssueSpec:
    """One planted issue: labels, the trend it should show and its share of each batch."""

    label_en: str
    label_zh: str
    trend: str  # "fixed" | "steady" | "growing" | "new"
    rates: tuple[float, float]  # share of the records of 2026-09 and 2026-10
    emerging: bool = False


DELIVERY = "delivery_delay"
REFUND = "refund_delay"
HOTLINE = "hotline_unreachable"
APP_LOGIN = "app_login"
DOUBLE_CHARGE = "double_charge"
DAMAGED = "damaged_item"
LOCKER = "parcel_locker_code"

ISSUES: dict[str, IssueSpec] = {
    DELIVERY: IssueSpec("Late delivery / parcel stuck in transit", "配送慢、物流不动",
                        "fixed", (0.12, 0.04)),
    REFUND: IssueSpec("Refund not received", "退款迟迟不到账", "steady", (0.08, 0.08)),
    HOTLINE: IssueSpec("Customer service unreachable", "客服电话打不通", "steady", (0.07, 0.07)),
    APP_LOGIN: IssueSpec("App crashes and login failures", "App登录失败、闪退", "growing",
                         (0.03, 0.09)),
    DOUBLE_CHARGE: IssueSpec("Charged twice", "重复扣款", "steady", (0.04, 0.04)),
    DAMAGED: IssueSpec("Item arrived damaged", "商品破损", "steady", (0.05, 0.05)),
    LOCKER: IssueSpec("Parcel-locker pickup code missing or expired", "快递柜取件码收不到或失效",
                      "new", (0.0, 0.05), emerging=True),
}

PRODUCTS: dict[str, tuple[str, ...]] = {
    "zh": ("空气炸锅", "蓝牙耳机", "电饭煲", "扫地机器人", "咖啡机", "乳胶枕", "羽绒服",
           "跑步鞋", "婴儿奶粉", "洗衣液", "电动牙刷", "保温杯", "行李箱", "台灯", "榨汁机",
           "车厘子", "牛排", "五常大米", "儿童书包", "吹风机", "电热水壶", "净水器"),
    "en": ("air fryer", "pair of wireless earbuds", "rice cooker", "robot vacuum",
           "espresso machine", "latex pillow", "down jacket", "pair of running shoes",
           "tin of baby formula",
           "bottle of laundry detergent", "electric toothbrush", "thermos", "suitcase", "desk lamp",
           "blender", "box of cherries", "steak pack", "bag of rice", "kids' backpack",
           "hair dryer", "kettle", "water filter"),
}

CITIES: dict[str, tuple[str, ...]] = {
    "zh": ("上海", "北京", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆",
           "苏州", "天津", "长沙", "青岛", "厦门"),
    "en": ("Shanghai", "Beijing", "Guangzhou", "Shenzhen", "Hangzhou", "Chengdu", "Wuhan",
           "Nanjing", "Xi'an", "Chongqing", "Suzhou", "Tianjin", "Changsha", "Qingdao", "Xiamen"),
}

LOCKERS: dict[str, tuple[str, ...]] = {
    "zh": ("小区门口的快递柜", "公司楼下的智能柜", "地铁站旁的自提柜", "学校东门的快递柜",
           "便利店旁边的柜子", "3号楼下的快递柜", "菜市场门口的智能柜"),
    "en": ("the locker outside my building", "the smart locker at my office",
           "the pickup locker by the metro station", "the campus east gate locker",
           "the locker next to the convenience store", "the Block 3 locker",
           "the locker at the market entrance"),
}

REGIONS = ("North America", "Europe", "UK & Ireland", "APAC", "Middle East")

# (characters, pinyin) pairs build Chinese names and matching e-mail local parts.
SURNAMES = (("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
            ("杨", "yang"), ("赵", "zhao"), ("黄", "huang"), ("周", "zhou"), ("吴", "wu"),
            ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("林", "lin"))
GIVEN_NAMES = (("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"),
               ("磊", "lei"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"), ("杰", "jie"),
               ("娟", "juan"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("丽", "li"),
               ("强", "qiang"), ("婷", "ting"), ("浩", "hao"), ("雪", "xue"), ("晨", "chen"))
FIRST_NAMES = ("Emma", "Liam", "Olivia", "Noah", "Ava", "James", "Sophia", "Lucas", "Mia",
               "Ethan", "Grace", "Daniel", "Chloe", "Ryan", "Hannah", "Jack", "Zoe", "Owen",
               "Priya", "Kevin", "Sara", "Marco", "Aisha", "Tom")
LAST_NAMES = ("Clark", "Nguyen", "Patel", "Murphy", "Walker", "Lopez", "Chen", "Brooks",
              "Fischer", "Reid", "Kim", "Hughes", "Rossi", "Shaw", "Bennett", "Ward", "Ali",
              "Foster")
NICK_HEADS = ("小鱼", "上海的", "爱吃", "懒懒的", "今天也", "深夜", "一只", "快乐的", "阿",
              "不想上班的", "杭州", "奶茶")
NICK_TAILS = ("阿杰", "橘子", "不吃香菜", "喵喵", "打工人", "猫", "小胖", "兔子", "大白",
              "柠檬", "星星", "晴天")
MAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example.com")

# Chinese words customers often type in English ("我的order还没到"). Replacing two or more makes
# a record code-mixed.
CODE_MIX: tuple[tuple[str, str], ...] = (
    ("订单", "order"), ("退款", "refund"), ("物流信息", "tracking"), ("物流", "tracking"),
    ("验证码", "verification code"), ("包裹", "package"), ("取件码", "pickup code"),
    ("登录", "login"), ("更新", "update"), ("闪退", "crash"), ("优惠券", "coupon"),
    ("发票", "invoice"), ("会员", "member"), ("质量", "quality"), ("快递柜", "locker"),
    ("客服", "customer service"), ("截图", "screenshot"), ("余额", "balance"),
    ("查一下", "check一下"), ("跟进", "follow up"), ("反馈", "feedback"), ("工单", "case"),
    ("账号", "account"), ("版本", "version"), ("信用卡", "credit card"),
    ("系统", "system"), ("活动", "promotion"), ("门店", "store"), ("售后", "after-sales"),
)


def pools(lang: str) -> ModuleType:
    """The sentence pools of a language ("zh" or "en")."""
    return pool_zh if lang == "zh" else pool_en
