"""The words people read, in Chinese first and in English: the labels of the codes the API
speaks (categories, statuses of demands, assignments, complaints and qualifications, urgencies,
stages, events, institutions' integration events, indicators, error codes). The API keeps its codes
in English; a console, a report or a letter shows these (``GET /api/v1/catalogue``). A test
checks that every code a person can meet has both labels.
"""
from __future__ import annotations

from shared.catalogue import CATEGORIES

_CATEGORIES_EN = {
    "quality_management": "Quality management", "standardization": "Standardisation",
    "metrology": "Metrology", "inspection_testing": "Inspection and testing",
    "certification_accreditation": "Certification and accreditation",
    "intellectual_property": "Intellectual property", "brand_cultivation": "Brand cultivation",
    "equipment_sharing": "Equipment sharing", "quality_innovation": "Quality innovation",
}


def _both(pairs: dict[str, tuple[str, str]]) -> dict[str, dict[str, str]]:
    return {code: {"zh-CN": zh, "en": en} for code, (zh, en) in pairs.items()}


CATEGORY_LABELS = _both({code: (zh, _CATEGORIES_EN[code]) for code, zh in CATEGORIES.items()})

STATUS_LABELS = _both({
    "submitted": ("已提交", "Submitted"), "awaiting_information": ("待补充材料", "Awaiting information"),
    "accepted": ("已受理", "Accepted"), "assigned": ("服务中", "Assigned"),
    "matching_failed": ("匹配未成功", "No institution matched"), "completed": ("已完成", "Completed"),
    "answered": ("已答复", "Answered"), "rejected": ("不予受理", "Rejected"),
    "withdrawn": ("已撤回", "Withdrawn"), "cancelled": ("已取消", "Cancelled"),
})

URGENCY_LABELS = _both({
    "low": ("低", "Low"), "normal": ("一般", "Normal"), "high": ("紧急", "High"), "urgent": ("特急", "Urgent"),
})

ASSIGNMENT_STATUS_LABELS = _both({
    "offered": ("待响应", "Awaiting answer"), "in_service": ("服务中", "In service"),
    "awaiting_quote_acceptance": ("待企业确认报价", "Awaiting the quote's acceptance"),
    "completed": ("已完成", "Completed"), "declined": ("已谢绝", "Declined"),
    "expired": ("已超时", "Expired"), "released": ("已解除", "Released"),
})

BOOKING_STATUS_LABELS = _both({
    "requested": ("待确认", "Awaiting confirmation"), "confirmed": ("已确认", "Confirmed"),
    "declined": ("未获确认", "Declined"), "cancelled": ("已取消", "Cancelled"), "used": ("已使用", "Used"),
})

COMPLAINT_STATUS_LABELS = _both({
    "received": ("已受理", "Received"), "investigating": ("调查中", "Investigating"),
    "escalated": ("已上报监管部门", "Escalated to the regulator"), "resolved": ("已办结", "Resolved"),
})

QUALIFICATION_STATUS_LABELS = _both({
    "valid": ("有效", "Valid"), "suspended": ("已暂停", "Suspended"),
    "withdrawn": ("已撤销", "Withdrawn"), "expired": ("已过期", "Expired"),
})

#: The integration events institutions' systems receive (services/partners/contract.py).
PARTNER_EVENT_LABELS = _both({
    "offer.made": ("收到服务邀约", "Offer made"),
    "offer.closed": ("邀约关闭", "Offer closed"),
    "assignment.started": ("开始服务", "Assignment started"),
    "assignment.cancelled": ("服务取消", "Assignment cancelled"),
    "assignment.completed": ("服务完成", "Assignment completed"),
    "feedback.received": ("收到评价", "Feedback received"),
    "standing.changed": ("机构状态变更", "Standing changed"),
    "qualification.expiring": ("资质即将到期", "Qualification expiring"),
    "quote.accepted": ("报价已被接受", "Quote accepted"),
    "quote.declined": ("报价被拒绝", "Quote declined"),
    "booking.requested": ("收到仪器预约", "Booking requested"),
    "booking.cancelled": ("仪器预约取消", "Booking cancelled"),
})

STAGE_LABELS = _both({
    "first_response": ("首次响应", "First response"), "assessment": ("需求评估", "Assessment"),
    "follow_up": ("服务跟进", "Follow-up"), "acknowledgement": ("投诉受理", "Complaint acknowledgement"),
    "resolution": ("投诉办结", "Complaint resolution"),
})

EVENT_LABELS = _both({
    # A demand at the station
    "DemandSubmitted": ("提交需求", "Demand submitted"),
    "DemandAccepted": ("受理需求", "Demand accepted"),
    "DemandReclassified": ("重新分类", "Demand reclassified"),
    "DemandAnswered": ("咨询已答复", "Consultation answered"),
    "DemandRejected": ("不予受理", "Demand rejected"),
    "DemandWithdrawn": ("企业撤回", "Withdrawn by the enterprise"),
    "DemandCancelled": ("取消服务", "Service cancelled"),
    "DemandAssigned": ("确定服务机构", "Institution assigned"),
    "DemandMatchingFailed": ("未能匹配服务机构", "No institution matched"),
    "DemandCompleted": ("服务完成", "Service completed"),
    "InformationRequested": ("要求补充材料", "Information requested"),
    "InformationSupplied": ("补充材料", "Information supplied"),
    "FollowUpRecorded": ("服务跟进", "Follow-up recorded"),
    "DeadlineApproaching": ("时限即将到期", "Time limit approaching"),
    "DeadlineBreached": ("超出时限", "Time limit breached"),
    # Matching
    "MatchingStarted": ("开始匹配", "Matching started"),
    "MatchingRestarted": ("重新匹配", "Matching restarted"),
    "AssignmentOffered": ("向机构发出服务邀请", "Offer made to an institution"),
    "OfferDeclined": ("机构婉拒", "Offer declined"),
    "OfferExpired": ("邀请超时", "Offer expired"),
    "InstitutionAssigned": ("机构承接服务", "Institution assigned"),
    "AssignmentReleased": ("解除服务安排", "Assignment released"),
    "MatchingFailed": ("匹配失败", "Matching failed"),
    "MatchingClosed": ("匹配结束", "Matching closed"),
    "ServiceProgressRecorded": ("服务进展", "Service progress"),
    "ServiceCompleted": ("机构完成服务", "Service completed by the institution"),
    "QuoteGiven": ("机构报价", "Quote given by the institution"),
    "QuoteAccepted": ("企业接受报价", "Quote accepted by the enterprise"),
    "QuoteDeclined": ("企业拒绝报价", "Quote declined by the enterprise"),
    "SampleReceived": ("机构收到样品", "Sample received"),
    "SampleDispositionRecorded": ("样品退还或处置", "Sample returned or disposed of"),
    # Institutions
    "InstitutionRegistered": ("机构入驻", "Institution registered"),
    "InstitutionReviewed": ("机构入驻审核", "Institution reviewed"),
    "InstitutionProfileChanged": ("机构信息变更", "Institution profile changed"),
    "InstitutionSuspended": ("机构暂停服务", "Institution suspended"),
    "InstitutionReinstated": ("机构恢复服务", "Institution reinstated"),
    "InstitutionExited": ("机构退出", "Institution exited"),
    "QualificationAdded": ("新增资质", "Qualification added"),
    "QualificationStatusChanged": ("资质状态变更", "Qualification status changed"),
    "QualificationExpiring": ("资质即将到期", "Qualification expiring"),
    "QualificationExpired": ("资质已过期", "Qualification expired"),
    # Evaluation and supervision
    "FeedbackGiven": ("服务评价", "Feedback given"),
    "RevisitTaskRaised": ("待回访", "Revisit due"),
    "ComplaintReceived": ("收到投诉", "Complaint received"),
    "ComplaintInvestigating": ("投诉调查中", "Complaint under investigation"),
    "ComplaintEscalated": ("投诉升级", "Complaint escalated"),
    "ComplaintAnswered": ("机构答复投诉", "Institution answered the complaint"),
    "ComplaintResolved": ("投诉办结", "Complaint resolved"),
    "ComplaintDeadlineApproaching": ("投诉时限即将到期", "Complaint time limit approaching"),
    "ComplaintDeadlineBreached": ("投诉超出时限", "Complaint time limit breached"),
    "SupervisionCheckRecorded": ("监督检查", "Supervision check"),
    "EvaluationPublished": ("发布评价结果", "Evaluation published"),
    "EvaluationWithdrawn": ("撤回评价结果", "Evaluation withdrawn"),
    "ImprovementActionRaised": ("提出整改要求", "Improvement action raised"),
    "ImprovementProgressRecorded": ("整改进展", "Improvement progress"),
    "ImprovementActionClosed": ("整改完成", "Improvement action closed"),
    "ImprovementActionWithdrawn": ("撤回整改要求", "Improvement action withdrawn"),
    # The archive
    "DemandArchived": ("归档封存", "Dossier sealed"),
    "DossierAccessed": ("查阅档案", "Dossier accessed"),
    "LegalHoldPlaced": ("设置法律保全", "Legal hold placed"),
    "LegalHoldReleased": ("解除法律保全", "Legal hold released"),
    "DossierDisposed": ("档案到期销毁", "Dossier disposed of"),
    # Stations
    "StationRegistered": ("工作站设立", "Station opened"),
    "StationConstructionRecorded": ("工作站建设情况", "Station construction recorded"),
    "StationRequirementRecorded": ("填报工作站建设与管理要求", "Station requirement recorded"),
    "StationRequirementConfirmed": ("确认工作站建设与管理要求", "Station requirement confirmed"),
    "StationConformityChanged": ("工作站达标状态变化", "Station conformity changed"),
    "StationSettingsChanged": ("工作站设置变更", "Station settings changed"),
    "SpecialistJoined": ("服务专员加入", "Specialist joined"),
    "SpecialistLeft": ("服务专员离开", "Specialist left"),
    # The service catalogue
    "CatalogueOpened": ("服务目录启用", "Service catalogue opened"),
    "CatalogueVersionPublished": ("服务目录发布新版本", "Service catalogue version published"),
    # People and their accounts (the audit trail)
    "OrganisationRegistered": ("单位注册", "Organisation registered"),
    "OrganisationVerified": ("单位核验", "Organisation verified"),
    "PersonCreated": ("创建账号", "Account created"),
    "PersonSignedIn": ("登录", "Signed in"),
    "SignInFailed": ("登录失败", "Sign-in failed"),
    "PasswordChanged": ("修改密码", "Password changed"),
    "PasswordReset": ("重置密码", "Password reset"),
    "RoleGranted": ("授予角色", "Role granted"),
    "RoleRevoked": ("撤销角色", "Role revoked"),
    "PersonDisabled": ("停用账号", "Account disabled"),
    "PersonEnabled": ("启用账号", "Account enabled"),
    "SecondFactorEnabled": ("启用双重验证", "Second factor enabled"),
    "SecondFactorReset": ("重置双重验证", "Second factor reset"),
})

INDICATOR_LABELS = _both({
    "demand_volume": ("需求数量", "Demand volume"),
    "enterprises_served": ("服务企业数", "Distinct enterprises served"),
    "first_response_hours": ("首次响应时长", "First-response time"),
    "assessment_hours": ("需求评估时长", "Assessment time"),
    "match_hours": ("匹配时长", "Match time"),
    "acceptance_rate": ("机构承接率", "Institution acceptance rate"),
    "acceptance_hours": ("机构响应时长", "Institution acceptance latency"),
    "on_time_rate": ("按时完成率", "On-time completion rate"),
    "follow_up_compliance": ("跟进及时率", "Follow-up compliance"),
    "breach_rate": ("超时率", "Time-limit breaches"),
    "resolution_rate": ("问题解决率", "Resolution rate"),
    "feedback_coverage": ("评价覆盖率", "Feedback coverage"),
    "satisfaction_rate": ("满意率", "Satisfaction rate"),
    "mean_score": ("平均满意度评分", "Mean satisfaction score"),
    "complaint_rate": ("投诉率", "Complaint rate"),
    "complaint_closure_hours": ("投诉办结时长", "Complaint closure time"),
    "archive_completeness": ("归档完整率", "Archive completeness"),
    "archive_timeliness": ("归档及时率", "Archive timeliness"),
    "qualification_compliance": ("派单资质合规率", "Qualification compliance of dispatches"),
    "category_coverage": ("服务类别覆盖", "Category coverage"),
    "staff": ("服务专员人数", "Service specialists"),
    "trained_staff_share": ("持证上岗比例", "Trained staff share"),
    "institutions_onboarded": ("入驻机构数", "Institutions onboarded"),
    "equipment_utilisation": ("共享设备利用率", "Shared-equipment utilisation"),
    "instrument_hours": ("共享仪器使用时长", "Shared-instrument hours used"),
    "management_checklist": ("建设与管理达标", "Construction and management checklist"),
    "station_conformity": ("工作站建设与管理要求达标率", "Station requirements met"),
})

#: The dimensions of the provisional default configuration (services/evaluation/indicators.yaml).
DIMENSION_LABELS = _both({
    "volume": ("服务量", "Service volume"), "timeliness": ("服务时效", "Timeliness"),
    "outcome": ("服务成效与满意度", "Outcome and satisfaction"),
    "compliance": ("监督与合规", "Supervision and compliance"), "resources": ("资源保障", "Resources"),
})

UNIT_LABELS = _both({
    "demands": ("项需求", "demands"), "enterprises": ("家企业", "enterprises"), "hours": ("小时", "hours"),
    "institutions": ("家机构", "institutions"), "people": ("人", "people"),
    "per 100 demands": ("每百项需求", "per 100 demands"), "per 100 services": ("每百项服务", "per 100 services"),
    "points (1-5)": ("分（1-5）", "points (1-5)"), "services per institution": ("项服务/机构", "services per institution"),
    "hours per instrument": ("小时/台", "hours per instrument"),
    "share": ("比例", "share"), "working hours": ("工作小时", "working hours"), "yes/no": ("是/否", "yes/no"),
})

ERROR_LABELS = _both({
    "validation_failed": ("填写的内容有误", "Some values are not valid"),
    "malformed_json": ("请求格式错误", "The request is malformed"),
    "unsupported_media_type": ("不支持的内容类型", "This type of content is not accepted"),
    "body_too_large": ("内容过大", "The content is too large"),
    "unauthorized": ("请先登录", "Please sign in"),
    "invalid_token": ("登录凭据无效，请重新登录", "The sign-in token is not valid; sign in again"),
    "token_expired": ("登录已过期，请重新登录", "The sign-in has expired; sign in again"),
    "invalid_credentials": ("账号或密码不正确", "Wrong name or password"),
    "forbidden": ("没有权限进行此操作", "You may not do this"),
    "not_found": ("未找到", "Not found"),
    "method_not_allowed": ("不支持此操作", "This operation is not supported here"),
    "conflict": ("与当前状态冲突，请刷新后再试", "This conflicts with the current state; refresh and retry"),
    "slot_taken": ("该时段已被预约，请另选时段", "This slot is already booked; choose another"),
    "insufficient_data": ("数据不足", "Not enough data"),
    "unsupported_export_format": ("不支持此导出格式", "This export format is not supported"),
    "under_legal_hold": ("档案处于法律保全中，不能销毁", "The dossier is under a legal hold"),
    "dossier_disposed": ("档案已到期销毁", "The dossier was disposed of"),
    "too_many_attempts": ("尝试次数过多，请稍后再试", "Too many attempts; try again later"),
    "too_many_requests": ("请求过于频繁，请稍后再试", "Too many requests; try again later"),
    "service_unavailable": ("服务暂不可用，请稍后再试", "A service is unavailable; try again later"),
    "internal_error": ("系统出现问题，请稍后再试", "Something went wrong on our side"),
    # What the HTTP server answers by itself (gateway/protocol.py)
    "bad_request": ("请求无法读取", "The request could not be read"),
    "uri_too_long": ("网址过长", "The URL is too long"),
    "headers_too_large": ("请求头过大", "The headers are too large"),
    "not_implemented": ("不支持此 HTTP 方法", "This HTTP method is not supported"),
    "http_version_not_supported": ("不支持此 HTTP 版本", "This HTTP version is not supported"),
})


#: The kinds of notice people receive (services/notices/texts.py has their texts).
NOTICE_LABELS = _both({
    "demand_received": ("需求已提交", "Demand received"),
    "information_requested": ("请补充材料", "Information needed"),
    "demand_accepted": ("需求已受理", "Demand accepted"),
    "demand_rejected": ("需求不予受理", "Demand not accepted"),
    "demand_answered": ("咨询已答复", "Question answered"),
    "demand_assigned": ("已确定服务机构", "Institution assigned"),
    "feedback_requested": ("请评价服务", "Please rate the service"),
    "quote_given": ("报价待确认", "A quote awaits you"),
    "complaint_answered": ("投诉已获答复", "Complaint answered"),
    "complaint_resolved": ("投诉已办结", "Complaint resolved"),
    "offer_made": ("新的服务邀请", "New service offer"),
    "assignment_cancelled": ("服务已取消", "Service cancelled"),
    "feedback_received": ("收到服务评价", "Feedback received"),
    "complaint_against_institution": ("收到针对本机构的投诉", "A complaint about you"),
    "qualification_expiring": ("资质即将到期", "Qualification expiring"),
    "demand_submitted": ("新需求待评估", "New demand to assess"),
    "information_supplied": ("企业已补充材料", "Information supplied"),
    "matching_failed": ("未能自动匹配机构", "No institution matched"),
    "deadline_approaching": ("时限即将到期", "Time limit approaching"),
    "deadline_breached": ("已超出时限", "Time limit breached"),
    "complaint_received": ("收到投诉", "Complaint received"),
    "revisit_due": ("待回访", "Revisit due"),
    "booking_requested": ("新的仪器预约", "New booking"),
    "booking_confirmed": ("仪器预约已确认", "Booking confirmed"),
    "booking_declined": ("仪器预约未获确认", "Booking declined"),
    "verification_due": ("计量器具即将到期", "Instrument due for verification"),
    "hall_opened": ("需求大厅有新需求", "New in the demand hall"),
})

# The metrology register's events a demand's dossier holds (services/intake/metrology.py)
EVENT_LABELS.update(_both({
    "VerificationRequested": ("计量器具申请检定/校准", "Verification or calibration requested"),
    "CertificateRecorded": ("登记检定/校准证书", "Certificate recorded"),
}))

# The demand hall's events a demand's dossier holds (services/matching/hall.py)
EVENT_LABELS.update(_both({
    "HallOpened": ("需求进入需求大厅", "Listed in the demand hall"),
    "InterestExpressed": ("机构表达服务意向", "Interest expressed"),
    "InterestWithdrawn": ("机构撤回服务意向", "Interest withdrawn"),
    "HallClosed": ("需求大厅公示结束", "Demand hall listing closed"),
}))
PARTNER_EVENT_LABELS.update(_both({
    "hall.opened": ("需求进入需求大厅", "Demand opened in the hall"),
}))


# Standard projects and IP applications (services/matching/standard_project.py, ip_application.py)
EVENT_LABELS.update(_both({
    "StandardProjectOpened": ("标准项目立项", "Standard project opened"),
    "StandardStageCompleted": ("标准阶段完成", "Standard stage completed"),
    "StandardPublished": ("标准发布", "Standard published"),
    "IpApplicationRecorded": ("登记知识产权申请", "IP application recorded"),
    "IpApplicationStatusChanged": ("知识产权申请状态变更", "IP application status changed"),
}))
PARTNER_EVENT_LABELS.update(_both({
    "standard_project.opened": ("工作站开启标准项目", "Standard project opened"),
}))
PROJECT_LABELS = {
    "standard_stages": _both({
        "initiation": ("立项", "Initiation"), "drafting": ("起草", "Drafting"),
        "consultation": ("征求意见", "Consultation"), "review": ("审查", "Review"),
        "publication": ("发布", "Publication")}),
    "standard_kinds": _both({
        "enterprise": ("企业标准", "Enterprise standard"), "group": ("团体标准", "Group standard"),
        "local": ("地方标准", "Local standard"), "industry": ("行业标准", "Industry standard"),
        "national": ("国家标准", "National standard")}),
    "ip_kinds": _both({
        "invention_patent": ("发明专利", "Invention patent"), "utility_model": ("实用新型", "Utility model"),
        "design": ("外观设计", "Design"), "trademark": ("商标", "Trademark")}),
    "ip_statuses": _both({
        "filed": ("已提交", "Filed"), "accepted": ("已受理", "Accepted"),
        "examined": ("审查合格", "Examined"), "granted": ("已授权", "Granted"),
        "registered": ("已注册", "Registered"), "rejected": ("已驳回", "Rejected"),
        "withdrawn": ("已撤回", "Withdrawn")}),
}


def catalogue() -> dict:
    return {"categories": CATEGORY_LABELS, "statuses": STATUS_LABELS, "stages": STAGE_LABELS,
            "events": EVENT_LABELS, "indicators": INDICATOR_LABELS, "dimensions": DIMENSION_LABELS,
            "units": UNIT_LABELS, "errors": ERROR_LABELS, "notices": NOTICE_LABELS,
            "urgencies": URGENCY_LABELS, "assignment_statuses": ASSIGNMENT_STATUS_LABELS,
            "complaint_statuses": COMPLAINT_STATUS_LABELS,
            "qualification_statuses": QUALIFICATION_STATUS_LABELS,
            "partner_events": PARTNER_EVENT_LABELS, "booking_statuses": BOOKING_STATUS_LABELS,
            **PROJECT_LABELS}
