"""Phrase pools for the ingest benchmark's generated feedback (see ingest_data.py).

Texts are built slot by slot: opener + subject + predicate + detail + tail, so a few hundred
phrases give millions of distinct sentences. Every Chinese phrase must encode in GBK (one of
the generated files is GBK); emoji appear only in social posts, which are written as UTF-8.
"""

ZH_OPENERS = ("", "昨天", "上周", "今天早上", "这次", "刚才", "最近", "前天晚上", "月初",
               "双十一期间", "下单以后", "说实话", "真的服了，", "第二次了，", "周末", "中午",
               "半夜", "上个月", "国庆期间", "收到货后", "又一次", "一直以来", "本来以为", "没想到")
ZH_SUBJECTS = ("快递", "物流", "客服", "你们的app", "退款", "会员积分", "优惠券", "外卖",
                "骑手", "商品包装", "这个手机", "耳机", "充电器", "售后", "发票", "门店店员",
                "在线客服", "安装师傅", "订单", "支付页面", "登录", "小程序", "配送员", "洗衣机",
                "空调", "床垫", "奶粉", "咖啡", "酒店前台", "房间", "机票改签", "退票",
                "账户余额", "信用卡还款", "保险理赔", "宽带", "话费", "流量套餐", "视频会员",
                "客服热线", "新版本", "搜索功能", "购物车", "积分兑换")
ZH_PREDICATES = ("一直没到", "太慢了", "态度很差", "不回复消息", "迟迟没有到账", "用不了",
                  "总是闪退", "扣了两次钱", "质量有问题", "和描述不符", "少发了一件", "包装破损",
                  "收费不透明", "处理得很快", "很专业", "非常满意", "还不错", "体验一般",
                  "说好的补偿没给", "打了好几次电话都没人接", "又涨价了", "页面一直转圈",
                  "验证码收不到", "无法退订", "被自动续费了", "送错地址了", "比预计晚了三天",
                  "服务很贴心", "解决问题很及时", "没有任何通知", "一直显示异常", "排队太久",
                  "被拒绝了", "规则说不清楚", "噪音很大", "有异味", "尺寸不对", "电池不耐用",
                  "信号很差", "经常掉线", "广告太多", "界面很乱", "推送太频繁", "操作很方便",
                  "比以前好多了", "让人很放心", "跟宣传的不一样", "反复出问题", "等了一个小时",
                  "一问三不知")
# Details widen the space of sentences, so single-sentence texts rarely collide by chance.
ZH_DETAILS = ("", "", "", "，而且没人管", "，等了两周", "，问了三遍", "，退也退不了",
               "，电话一直占线",
               "，和上次一样", "，这点很好", "，比别家强", "，价格也合理", "，还要自己跑一趟",
               "，说是系统原因", "，换了两次都一样", "，包装倒是不错", "，师傅人挺好", "，页面还卡",
               "，不知道找谁", "，客服只会道歉", "，物流信息也不更新", "，一点诚意都没有",
               "，我朋友也这样", "，周末也照常")
ZH_TAILS = ("，", "。", "！", "，希望尽快处理。", "，太失望了。", "，请给个说法！",
             "，下次还会再买。", "，点赞！", "，要求退款。", "，建议改进一下。",
             "，已经投诉过了。", "，谢谢。", "，非常不满意。", "，麻烦尽快联系我。",
             "，真的很无语。", "，辛苦了。", "，不会再用了。", "，请核实一下。", "，值得推荐。",
             "，希望给个解释。", "，再这样就卸载了。", "，服务还行。", "，整体满意。",
             "，等了好久。", "，体验很差。", "，能不能快一点？", "，怎么回事？", "，已经第三次了。",
             "，朋友也遇到过。", "，请加强管理。")
ZH_SHORT = ("好评", "差评", "太慢了", "很满意", "不好用", "退钱", "垃圾", "点赞", "一般般",
             "还行吧", "客服不理人", "又闪退了", "物流真快", "质量不错", "再也不买了", "超级好用",
             "包装破了", "没收到货", "发错货了", "性价比高")
ZH_SHORT_TAILS = ("", "！", "。", "！！", "～", "？", "……")
ZH_GREETINGS = ("您好：\n\n", "客服你好，\n\n", "尊敬的客服：\n\n", "你好，\n\n")
ZH_SIGNOFFS = ("\n\n谢谢！", "\n\n此致\n敬礼", "\n\n盼复。", "\n\n期待回复，谢谢。")

EN_OPENERS = ("Yesterday", "Last week", "Again,", "Honestly,", "This morning", "Today",
               "For the third time", "Since the update", "After two weeks", "Once again",
               "To be fair,", "Sadly,", "Overall,", "Last night", "This time", "As usual",
               "Every single time", "Unfortunately,", "Surprisingly,", "Over the weekend")
EN_SUBJECTS = ("the delivery", "my refund", "the app", "customer service", "the courier",
                "the checkout page", "your hotline", "the subscription", "my order",
                "the headphones", "the charger", "the store staff", "the live chat agent",
                "the hotel room", "the flight change", "the login screen", "the new version",
                "the search", "my account", "the invoice", "the installer", "the package",
                "the phone", "the coupon", "the loyalty points", "the warranty claim",
                "the repair", "the website", "the payment", "the membership",
                "the support team", "the food", "the rider", "the washing machine", "the mattress",
                "the air conditioner", "the internet connection", "the data plan",
                "the return process", "the tracking page")
EN_PREDICATES = ("was late again", "never arrived", "keeps crashing", "charged me twice",
                  "is really slow", "was rude", "did not answer", "was great",
                  "worked perfectly", "broke after two days", "is confusing",
                  "took forever", "was resolved quickly", "is overpriced", "stopped working",
                  "was missing an item", "arrived damaged", "is much better now",
                  "was very helpful", "kept me waiting for an hour", "does not load",
                  "logged me out again", "went to the wrong address", "is not what was advertised",
                  "renewed without asking", "was cancelled without notice",
                  "has too many ads", "drains the battery", "was friendly and fast",
                  "still shows an error", "ignored my emails", "was refunded in full",
                  "made it easy", "is a joke", "failed three times", "smells strange",
                  "is too noisy", "does exactly what it should", "lost my points",
                  "needs a dark mode")
EN_DETAILS = ("", "", "", " after the update", " on my second order", " in the evening",
               " even with a tracking number", " for the second time this month",
               " despite two calls", " with no explanation", " as always", " on both of my phones",
               " at the pickup point", " according to the agent", " last Friday",
               " without a receipt", " during the sale", " in under a minute", " at checkout",
               " for my mother", " for no reason", " right before the holidays")
EN_TAILS = (".", "!", ", please fix it.", ", very disappointed.", ", I want a refund.",
             ", thanks a lot.", ", will order again.", ", five stars.", ", not acceptable.",
             ", please call me back.", ", what a mess.", ", keep it up.", ", so frustrating.",
             ", I will cancel.", ", would recommend.", ", no one cares.", ", fix this asap.",
             ", not happy at all.", ", good job.", ", this is the last time.",
             " and nobody told me why.", " and I am still waiting.", " which is ridiculous.",
             " and the agent was polite.", " but it is getting better.", "?!")
EN_SHORT = ("Love it", "Terrible app", "Great service", "So slow", "Never again",
             "Works fine", "Refund please", "Awful support", "Five stars", "Not bad",
             "Keeps crashing", "Fast delivery", "Waste of money", "Pretty good", "Useless")
EN_SHORT_TAILS = ("", "!", ".", "!!", " :(", " :)", "...")
EN_GREETINGS = ("Hello,\n\n", "Dear support team,\n\n", "Hi there,\n\n",
                 "To whom it may concern,\n\n")
EN_SIGNOFFS = ("\n\nThanks,\nJ.", "\n\nBest regards", "\n\nRegards,\nA customer",
                "\n\nLooking forward to your reply.")

CODE_MIX = ("，please check ASAP", "，客服说是system error", "，order status一直是pending",
             "，真的very disappointed", "，refund什么时候到", "，app又crash了",
             "，customer service太差")
EMOJI = (" 👍", " 😡", " 😂", " 🙏", " 💔", " 🔥", " 😤", " ❤️")
HASHTAGS = ("#双十一# ", "#售后# ", "#fail# ", "#customerservice# ", "#避雷# ")
HANDLES = ("@官方客服 ", "@support ", "@小助手 ")
NEAR_EDITS_ZH = ("谢谢", "麻烦了", "急急急", "请回复", "在线等")
NEAR_EDITS_EN = (" thanks", " pls", " asap", " again", " help")
EMPTY_TEXTS = ("", "   ", "。。。", "!!!", "？？", "...")
BAD_DATES = ("not a date", "2026-13-45 25:61:00", "昨天下午", "N/A", "tbd", "32/13/2026")
