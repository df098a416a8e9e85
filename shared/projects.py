"""The words of standardisation projects and intellectual-property applications, shared by
matching's aggregates and the commands that reach them."""

#: A standard's stages, in the order they are done: 立项, 起草, 征求意见, 审查, 发布.
STANDARD_STAGES = ("initiation", "drafting", "consultation", "review", "publication")
#: 企业标准, 团体标准, 地方标准, 行业标准, 国家标准.
STANDARD_KINDS = ("enterprise", "group", "local", "industry", "national")
#: 发明专利, 实用新型, 外观设计, 商标.
PATENT_KINDS = ("invention_patent", "utility_model", "design")
IP_KINDS = PATENT_KINDS + ("trademark",)
#: filed 已提交, accepted 已受理, examined 审查合格 (a patent's substantive or preliminary
#: examination, a trademark's 初审公告), then granted 授权 (a patent) or registered 注册 (a
#: trademark), rejected 驳回 or withdrawn 撤回.
IP_STATUSES = ("filed", "accepted", "examined", "granted", "registered", "rejected", "withdrawn")
