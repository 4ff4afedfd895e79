"""Word lists for the ticket generator: service-desk subjects and problems in Chinese and English.

Lists are ordered by how often the word occurs: the generator weights them with a Zipf law,
so the first subjects are common (several percent of titles) and the `RARE_*` ones are rare.
"""

from __future__ import annotations

__all__ = [
    "CITIES_EN",
    "CITIES_ZH",
    "COMPANY_SUFFIX_EN",
    "COMPANY_SUFFIX_ZH",
    "COMPANY_WORDS_EN",
    "COMPANY_WORDS_ZH",
    "IMPACTS_EN",
    "IMPACTS_ZH",
    "PLACES_EN",
    "PLACES_ZH",
    "PROBLEMS_EN",
    "PROBLEMS_ZH",
    "RARE_SUBJECTS_EN",
    "RARE_SUBJECTS_ZH",
    "STEPS_EN",
    "STEPS_ZH",
    "SUBJECTS_EN",
    "SUBJECTS_ZH",
    "WHEN_EN",
    "WHEN_ZH",
]

SUBJECTS_ZH = [
    "打印机", "电脑", "网络", "邮箱", "账号", "笔记本", "显示器", "系统", "密码", "电话",
    "服务器", "投影仪", "复印机", "空调", "门禁", "软件", "路由器", "扫描仪", "摄像头", "会议室",
    "硬盘", "键盘", "鼠标", "数据库", "合同", "发票", "报销单", "工牌", "交换机", "考勤机",
    "无线网", "共享盘", "备份", "显卡", "耳机",
]  # fmt: skip
RARE_SUBJECTS_ZH = [
    "示波器", "碎纸机", "光纤收发器", "条码枪", "热敏打印头", "不间断电源", "配线架", "读卡器",
    "保险柜", "点钞机", "叫号机", "签名板", "高拍仪", "电子白板", "录音笔", "温湿度计",
]  # fmt: skip
PROBLEMS_ZH = [
    "无法连接", "无法开机", "报错", "运行缓慢", "无法登录", "频繁死机", "卡纸", "显示异常",
    "需要更换", "申请开通", "权限不足", "没有声音", "无法打印", "数据丢失", "异常发热",
    "噪音很大", "需要维修", "连接不稳定", "过期需要续费", "配置错误", "被锁定", "漏水",
]  # fmt: skip
PLACES_ZH = ["三楼", "A座", "B座", "前台", "财务部", "法务部", "二号会议室", "仓库", "分公司", "档案室"]
WHEN_ZH = ["今天上午", "昨天下午", "从周一起", "刚才", "本周以来", "今天早上", "最近几天", "升级之后"]
IMPACTS_ZH = [
    "影响整个部门的工作",
    "客户正在等待",
    "明天开庭前必须处理",
    "月底结账受影响",
    "只影响我一个人",
    "多个同事反映同样问题",
    "已经影响对外服务",
]
STEPS_ZH = [
    "已尝试重启但问题依旧",
    "请尽快安排工程师上门",
    "附件为错误截图",
    "之前报修过一次",
    "请远程协助处理",
    "已联系厂商但没有回复",
    "麻烦帮忙看一下",
]

SUBJECTS_EN = [
    "printer", "laptop", "network", "email", "account", "monitor", "password", "VPN", "phone",
    "server", "projector", "copier", "badge", "software", "router", "scanner", "camera",
    "meeting room", "disk", "keyboard", "mouse", "database", "contract", "invoice", "expense report",
    "switch", "Wi-Fi", "shared drive", "backup", "headset",
]  # fmt: skip
RARE_SUBJECTS_EN = [
    "oscilloscope", "shredder", "fiber transceiver", "barcode scanner", "thermal printhead", "UPS",
    "patch panel", "card reader", "safe", "cash counter", "queue display", "signature pad",
    "document camera", "whiteboard", "voice recorder", "hygrometer",
]  # fmt: skip
PROBLEMS_EN = [
    "cannot connect", "won't turn on", "shows an error", "is very slow", "fails at login",
    "keeps crashing", "has a paper jam", "has a flickering display", "needs replacement",
    "needs access", "says permission denied", "has no sound", "cannot print", "lost data",
    "is overheating", "makes noise", "needs repair", "drops the connection", "licence has expired",
    "is misconfigured", "is locked out", "is leaking",
]  # fmt: skip
PLACES_EN = ["3rd floor", "building A", "building B", "reception", "finance", "legal", "room 2", "warehouse"]
WHEN_EN = ["This morning", "Since yesterday", "Since Monday", "Just now", "All week", "After the update"]
IMPACTS_EN = [
    "the whole team is blocked",
    "a client is waiting",
    "needed before tomorrow's hearing",
    "month-end closing is affected",
    "only affects me",
    "several colleagues report the same",
    "customer-facing service is down",
]
STEPS_EN = [
    "Restarted it, no change.",
    "Please send an engineer.",
    "Screenshot attached.",
    "Reported once before.",
    "Remote help would be fine.",
    "Vendor has not answered.",
    "Thanks for looking.",
]

CITIES_ZH = ["北京", "上海", "广州", "深圳", "杭州", "成都", "南京", "武汉", "西安", "苏州", "天津", "重庆"]
COMPANY_WORDS_ZH = [
    "星辰", "华信", "中科", "鼎盛", "恒通", "瑞丰", "博远", "金桥", "永安", "天成", "明德", "宏达",
    "海纳", "正源", "启航", "新元", "汇智", "远景", "长青", "嘉禾",
]  # fmt: skip
COMPANY_SUFFIX_ZH = ["律师事务所", "科技有限公司", "贸易有限公司", "制造有限公司", "咨询有限公司", "银行支行"]
COMPANY_WORDS_EN = [
    "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent",
    "Tyrell", "Cyberdyne", "Wonka", "Gringotts", "Oscorp", "Pied Piper", "Massive", "Dunder",
    "Sterling", "Prestige", "Monarch",
]  # fmt: skip
COMPANY_SUFFIX_EN = ["Ltd", "LLP", "Inc", "Group", "Partners", "Holdings"]
CITIES_EN = ["London", "Singapore", "Hong Kong", "Berlin", "Sydney", "Toronto", "Dubai", "Paris"]
