"""What a field's error says, in Chinese and in English.

A field's message is a ``FieldMessage``: a code from ``MESSAGES`` and the values its words
need. Its text as a string is the English, so logs, the command line and every program that
reads a message as text read what they always did; the gateway words each one in the language
the request prefers (``worded``), Chinese unless English is asked for. One catalogue holds both
languages: marshmallow's own messages (made codes here by ``install``, before any schema is
declared), the project's validators' (``said(code, ...)``) and the services' own refusals, which
cross RPC with their codes beside them (``shared.errors.Invalid``).
"""
from __future__ import annotations

import string

#: code: (zh-CN, en). ``{name}`` is a value the message carries.
MESSAGES: dict[str, tuple[str, str]] = {
    # marshmallow's own
    "required": ("必填", "Required."),
    "null": ("必填", "Must not be null."),
    "invalid": ("内容不正确", "Invalid value."),
    "wrong_type": ("格式不正确", "Not of the expected type."),
    "unknown_field": ("不接受此字段", "Unknown field."),
    "not_list": ("须为列表", "Not a valid list."),
    "not_object": ("须为对象（键值对）", "Not a valid mapping."),
    "not_text": ("须为文本", "Not a valid string."),
    "not_utf8": ("文本编码不正确（须为 UTF-8）", "Not valid UTF-8 text."),
    "not_uuid": ("不是有效的编号（UUID）", "Not a valid UUID."),
    "not_number": ("须为数字", "Not a valid number."),
    "number_too_large": ("数字过大", "Number too large."),
    "not_integer": ("须为整数", "Not a valid integer."),
    "not_finite": ("须为有限的数字", "Special numeric values (nan or infinity) are not permitted."),
    "not_boolean": ("须为 true 或 false", "Not a valid boolean."),
    "not_datetime": ("不是有效的日期时间，如 2026-12-31T09:30:00+08:00",
                     "Not a valid date and time, e.g. 2026-12-31T09:30:00+08:00."),
    "not_date": ("不是有效的日期，如 2026-12-31", "Not a valid date, e.g. 2026-12-31."),
    "not_time": ("不是有效的时刻，如 09:30", "Not a valid time, e.g. 09:30."),
    "not_aware": ("须带时区偏移，如 2026-12-31T09:30:00+08:00",
                  "Must carry its offset, e.g. 2026-12-31T09:30:00+08:00."),
    "not_naive": ("不能带时区偏移", "Must not carry an offset."),
    # marshmallow's one template for every kind of time, and for an offset given or not: the
    # values it is filled with say which (``_refined``)
    "temporal": ("不是有效的日期时间", "Not a valid date and time."),
    "awareness": ("须带时区偏移", "Must carry its offset."),
    "not_duration": ("不是有效的时长", "Not a valid period of time."),
    "not_url": ("不是有效的网址", "Not a valid URL."),
    "not_email": ("不是有效的电子邮箱地址", "Not a valid email address."),
    "not_ip": ("不是有效的 IP 地址", "Not a valid IP address."),
    "length_min": ("至少 {min} 个字符", "At least {min} characters."),
    "length_max": ("最多 {max} 个字符", "At most {max} characters."),
    "length_between": ("长度须在 {min} 到 {max} 个字符之间", "Between {min} and {max} characters."),
    "length_equal": ("须为 {equal} 个字符", "Exactly {equal} characters."),
    "length_min_items": ("至少 {min} 项", "At least {min} items."),
    "length_max_items": ("最多 {max} 项", "At most {max} items."),
    "length_between_items": ("须有 {min} 到 {max} 项", "Between {min} and {max} items."),
    "length_equal_items": ("须为 {equal} 项", "Exactly {equal} items."),
    "range_min": ("须{min_op} {min}", "Must be {min_op} {min}."),
    "range_max": ("须{max_op} {max}", "Must be {max_op} {max}."),
    "range_between": ("须{min_op} {min}，且{max_op} {max}", "Must be {min_op} {min} and {max_op} {max}."),
    "range_within": ("须在 {min} 到 {max} 之间", "Must be between {min} and {max}."),
    "one_of": ("须为以下之一：{choices}", "Must be one of: {choices}."),
    "pattern": ("格式不正确", "Not in the expected form."),
    "equal": ("须为 {other}", "Must be equal to {other}."),
    "none_of": ("不能是 {values}", "Must not be one of: {values}."),
    "contains_only": ("只能从以下选择：{choices}", "Only these may be chosen: {choices}."),
    "contains_none_of": ("不能包含：{values}", "Must not include: {values}."),
    # the project's own rules for what people type
    "blank": ("不能为空", "Must not be blank."),
    "control_characters": ("不能包含控制字符", "Must not contain control characters."),
    "repeated": ("不能有重复的值", "Must not repeat a value."),
    "repeated_ignoring_case": ("不能有重复的值（不区分大小写）", "Must not repeat a value (case does not count)."),
    "unpaired_surrogate": ("文本中有无效的 Unicode 字符", "Unpaired surrogate in a string."),
    "past_date": ("不能早于今天", "Must not be in the past."),
    "credit_code_length": ("统一社会信用代码须为 18 位", "Not a unified social credit code: must be 18 characters."),
    "credit_code_characters": ("统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）",
                               "Not a unified social credit code: only digits and the capital letters "
                               "of GB 32100 (no I, O, S, V, Z)."),
    "credit_code_check": ("统一社会信用代码的校验位不正确", "Not a unified social credit code: the check character does not match."),
    "enterprise_party": ("企业须以统一社会信用代码登记", "An enterprise's party is its unified social credit code."),
    "operating_institution_party": ("运营机构须以统一社会信用代码登记",
                                    "An operating institution's party is its unified social credit code."),
    "park_id": ("园区编号须为小写字母和数字，用连字符连接，如 panyu-energy-park",
                "A park id is lower-case letters and digits joined by hyphens, e.g. panyu-energy-park."),
    "phone": ("不是有效的电话号码", "Not a phone number."),
    "mobile": ("不是有效的中国大陆手机号码", "Not a mainland mobile number."),
    "sign_in_name": ("须为 3 到 64 个字母、数字或 . _ @ -，以字母或数字开头",
                     "3 to 64 letters, digits or . _ @ -, starting with a letter or digit."),
    "attachment_id": ("须为附件编号（十六进制的 SHA-256）", "Must be an attachment id (a SHA-256 in hex)."),
    "working_time": ("须为工作时长，如 30m、4h 或 2d", "A working time like 30m, 4h or 2d."),
    "amount_yuan": ("须为以元计的金额，如 1200 或 1200.50", "An amount in yuan, e.g. 1200 or 1200.50."),
    "scope": ("须为 all、station:<编号>、institution:<编号> 或 category:<类别代码>",
              "Must be all, station:<id>, institution:<id> or category:<code>."),
    "to_before_from": ("结束日期不能早于开始日期", "Must not be before submitted_from."),
    "until_before_from": ("有效期止不能早于有效期起", "Must not be before valid_from."),
    "qualification_overlap": ("{kind} 资质 {number}（自 {valid_from}）与 {earlier}（至 {valid_until}）的有效期重叠",
                              "{kind} {number} (from {valid_from}) overlaps {earlier} (until {valid_until})."),
    "qualification_numbers": ("每项资质须有自己的编号", "Each qualification needs its own number."),
    "qualification_expired": ("该资质已过期", "The qualification has already expired."),
    "home_park": ("须为机构服务的园区之一", "Must be one of the parks the institution serves."),
    "required_for_decision": ("作出此决定时必填", "Required when the decision is {decision}."),
    "nothing_changes": ("请至少修改一项", "Say what changes: {fields}."),
    "completion_evidence": ("须填写报告编号或证书编号", "A completion needs a report or a certificate number."),
    "demand_or_station": ("请填写所涉需求，或受理投诉的工作站", "Name the demand, or else the station."),
    "only_institution_suspended": ("只能要求暂停服务机构", "Only an institution can be suspended."),
    "suspension_reason": ("要求暂停须说明理由", "A suspension needs its reason."),
    "notification_upstream": ("通知编号只在其上游日志中唯一，须同时指明上游",
                              "A notification id is only unique within its upstream's log."),
    "idempotency_key": ("须为 1 到 255 个可见的 ASCII 字符", "1 to 255 visible ASCII characters."),
    # what the services refuse
    "not_a_cursor": ("不是此列表给出的游标（next_after）", "Not a cursor of this list."),
    "unknown_station": ("没有这个工作站", "Unknown station."),
    "unknown_institution": ("没有这个服务机构", "Unknown institution."),
    # why an institution may not serve a demand (services/matching/selection.py's exclusion),
    # each English as the explanations always said it
    "excluded_awaiting_review": ("机构尚待审核", "is awaiting review"),
    "excluded_not_admitted": ("机构未获准入", "was not admitted"),
    "excluded_standing": ("机构当前状态为 {status}", "is {status}"),
    "excluded_by_enterprise": ("企业已排除该机构", "was excluded by the enterprise"),
    "excluded_category": ("机构不提供 {category} 类服务", "does not serve category {category}"),
    "excluded_park": ("机构不服务园区 {park}", "does not serve park {park}"),
    "excluded_capacity": ("机构已无剩余服务能力", "has no capacity left"),
    "excluded_no_valid_qualification": ("机构在服务日期没有有效资质",
                                        "has no qualification valid on the service date"),
    "excluded_qualification_type": ("机构没有有效的 {types} 资质", "has no valid {types} qualification"),
    "excluded_scope": ("机构没有覆盖以下项目的有效资质：{items}", "no valid qualification covers {items}"),
    "unknown_demand": ("没有这个需求", "Unknown demand."),
    "unknown_organisation": ("没有这个单位", "No such organisation."),
    "unknown_scope": ("没有这个评价对象", "Unknown {kind}."),
    "no_station_for_park": ("这个园区还没有工作站", "No station serves this park."),
    "enterprise_submits_online": ("企业须在线提交（窗口、电话和走访的需求由服务专员录入）", "Must be online."),
    "enterprise_feedback_online": ("企业须在线评价", "Must be online."),
    "revisit_channel": ("服务专员须记录回访方式：revisit_phone 或 revisit_visit",
                        "Must be revisit_phone or revisit_visit."),
    "complaint_station": ("须为需求所属的工作站（或 station_id 所指的工作站）",
                          "Must be the station of the demand (or station_id)."),
    "complaint_institution": ("须为承接该需求的服务机构", "Must be the demand's institution."),
    "complaint_needs_demand": ("投诉工作站以外的对象时必填", "Required unless the complaint is against the station."),
    "time_zone_stays": ("工作站的时区不能更改（仍为 {zone}）", "Stays {zone}."),
    "limit_too_long": ("不能长于平台规定的 {limit}", "Longer than the platform's {limit}."),
    "wrong_code": ("验证码不正确，请核对身份验证器的时间后重试",
                   "Wrong code: check your authenticator's clock and try again."),
    "upload_unknown": ("没有这个上传的文件", "Unknown upload."),
    "upload_empty": ("文件不能为空", "Must not be empty."),
    "upload_too_large": ("文件不能超过 {limit} 字节", "Must not exceed {limit} bytes."),
    "upload_content": ("文件内容不是所声明的类型 {kind}", "The content is not {kind}."),
    "attachment_unknown": ("你没有上传过附件 {sha256}", "Unknown attachment {sha256}."),
    "file_name_missing": ("请给文件起个名字", "Give the file a name."),
    "file_name_long": ("文件名最多 255 个字符", "At most 255 characters."),
    "file_name_slash": ("文件名不能包含斜杠", "No slashes."),
    "file_name_control": ("文件名不能包含控制字符", "No control characters."),
    "file_name_invisible": ("文件名不能包含方向标记或不可见字符", "No direction marks or invisible characters."),
    "password_length": ("长度须为 {min} 至 {max} 个字符", "{min} to {max} characters."),
    "password_kinds": ("须包含大写字母、小写字母、数字、其他符号中的至少三类",
                       "Three of: upper case, lower case, digits, other characters."),
    "password_name": ("不得包含登录名", "Must not contain the sign-in name."),
    "password_common": ("过于常见，请换一个", "Too common; choose another."),
    "webhook_unreadable": ("无法读取这个网址", "The URL cannot be read."),
    "webhook_https": ("推送地址须使用 https", "A webhook URL must use https."),
    "webhook_credentials": ("推送地址不能包含用户名或密码", "A webhook URL may not carry a user name or password."),
    "webhook_host": ("网址中的主机名或地址无效", "The URL's host is not a valid name or address."),
    "webhook_unresolved": ("网址中的主机名无法解析", "The URL's host name does not resolve."),
    "webhook_not_public": ("网址指向的不是公网地址", "The URL leads to an address that is not public."),
    "unknown_event": ("你的事件流中没有这个事件", "Unknown event_id."),
    "limit_range": ("须在 1 到 500 之间", "Must be 1 to 500."),
    "period_form": ("须为 YYYY-MM、YYYY-Qn、YYYY 或 YYYY-MM-DD..YYYY-MM-DD",
                    "Must be YYYY-MM, YYYY-Qn, YYYY or YYYY-MM-DD..YYYY-MM-DD."),
    "period_reversed": ("区间的结束早于开始", "The range ends before it starts."),
    "period_too_long": ("区间最长十年", "A range spans at most ten years."),
    "period_not_a_date": ("不是有效的日期", "Not a valid date."),
    "trend_too_long": ("跨度过长（最多 120 个周期）", "Too long a span (at most 120 periods)."),
    "requirement_unknown": ("没有这一项要求：{item}", "No requirement {item}."),
    "requirement_derived": ("此项由工作站的服务专员名单统计，无需填报", "Counted from the station's specialists, not recorded."),
    "requirement_value": ("须为数字、true 或 false，或不填", "Must be a number, true or false, or omitted."),
    "requirement_measure": ("须为 0 到 {max} 之间的数字", "Must be a number from 0 to {max}."),
    "requirement_document": ("文件类要求不填数值，以上传的文件为准", "A document takes no value: its files are the document."),
    # a working calendar's settings
    # (each English names the setting first, as the settings are written)
    "calendar_zone": ("时区：未知的时区 {zone}", "timezone: unknown time zone {zone}"),
    "calendar_no_period": ("工作时段：一个工作日至少要有一个工作时段",
                           "hours: a working day needs at least one working period"),
    "calendar_minutes": ("工作时段：{moment} 须为整分钟的本地时刻", "hours: {moment} must be a local time in whole minutes"),
    "calendar_period_order": ("工作时段：{period} 须在开始之后结束", "hours: period {period} must end after it starts"),
    "calendar_period_overlap": ("工作时段：{period} 与前一个时段重叠或在其之前",
                                "hours: period {period} overlaps or precedes the one before it"),
    "calendar_weekday_numbers": ("周末：星期的编号从 0（星期一）到 6（星期日）",
                                 "weekend: weekday numbers run from 0 (monday) to 6 (sunday), got {given}"),
    "calendar_no_working_day": ("周末：一周中至少要有一天是工作日",
                                "weekend: at least one day of the week must be a working day"),
    "calendar_holiday_workday": ("节假日：{days} 不能同时是调休工作日", "holidays: {days} also listed in extra_workdays"),
    "calendar_unknown_setting": ("{names} 不是工作日历的设置", "{names}: not a working-calendar setting"),
    "calendar_not_list": ("{setting}：须为列表", "{setting}: must be a list"),
    "calendar_period_form": ("工作时段：{text} 不是 HH:MM-HH:MM 形式的时段", "hours: {text} is not a period written HH:MM-HH:MM"),
    "calendar_time": ("工作时段：{text} 不是有效的时刻", "hours: {text} is not a valid time of day"),
    "calendar_weekday": ("周末：{value} 不是星期的名称（monday ... sunday）或编号 0-6",
                         "weekend: {value} is not a weekday name (monday ... sunday) or number 0-6"),
    "calendar_date": ("{setting}：{value} 不是 YYYY-MM-DD 形式的日期", "{setting}: {value} is not an ISO date (YYYY-MM-DD)"),
    # an indicator configuration (docs/evaluation.md)
    "configuration_mapping": ("须为对象（键值对）", "Must be a mapping."),
    "configuration_unknown_key": ("不认识的键", "Unknown key."),
    "configuration_count": ("须为 0 到 1 000 000 的整数", "Must be a whole number from 0 to 1 000 000."),
    "configuration_version": ("须为 1 到 64 个字符的文本", "Must be a text of 1 to 64 characters."),
    "configuration_grades": ("须列出各个等级，从高到低", "Must list the grades, highest first."),
    "configuration_grade": ("须为 {{grade: 文本, min: 0 到 100}}", "Must be {{grade: text, min: 0 to 100}}."),
    "configuration_grade_order": ("须低于前一个等级", "Must be lower than the grade before it."),
    "configuration_lowest_grade": ("最低的等级须从 0 开始，每个总分才有等级",
                                   "The lowest grade must start at 0, so every total has a grade."),
    "configuration_improvement": ("须为 {{grades: [...], indicator_below: 0 到 100, due_days: 天数}}",
                                  "Must be {{grades: [...], indicator_below: 0 to 100, due_days: n}}."),
    "configuration_improvement_grades": ("须列出 grades 中定义的等级", "Must list grades defined under grades."),
    "configuration_indicator_below": ("须为大于 0、不超过 100 的分数", "Must be a score above 0, at most 100."),
    "configuration_due_days": ("须为 1 到 366 的整数天数", "Must be a whole number of days, 1 to 366."),
    "configuration_dimensions": ("须列出各个维度", "Must list the dimensions."),
    "configuration_dimension": ("须为 {{id, name, weight, indicators}}", "Must be {{id, name, weight, indicators}}."),
    "configuration_text": ("须为文本", "Must be a text."),
    "configuration_weight": ("须为大于 0 的数", "Must be a number above 0."),
    "configuration_indicators": ("至少列出一个指标", "Must list at least one indicator."),
    "configuration_indicator": ("须为 {{id, weight}}，并有 linear、banded、yes_no 之一",
                                "Must be {{id, weight, and one of linear, banded, yes_no}}."),
    "configuration_unknown_indicator": ("不认识的指标 {indicator}；可用的有：{known}",
                                        "Unknown indicator {indicator}; known: {known}."),
    "configuration_indicator_twice": ("指标 {indicator} 列出了两次", "Indicator {indicator} is listed twice."),
    "configuration_one_function": ("须有且只有一个评分函数：linear、banded 或 yes_no",
                                   "Needs exactly one scoring function: linear, banded or yes_no."),
    "configuration_linear": ("须为 {{floor: n, target: n（不同于 floor）, per_30_days: true|false}}",
                             "Must be {{floor: n, target: n (not the floor), per_30_days: true|false}}."),
    "configuration_banded": ("须列出分段 {{min: n, score: 0-100}} 或 {{max: n, score: 0-100}}，先符合者为准",
                             "Must list bands {{min: n, score: 0-100}} or {{max: n, score: 0-100}}, first match wins."),
    "configuration_yes_no": ("须为 {{at_least: n}} 或 {{at_most: n}}", "Must be {{at_least: n}} or {{at_most: n}}."),
    # equipment sharing (services/matching/instruments.py)
    "slot_order": ("结束时间须晚于开始时间", "Must end after it starts."),
    "slot_past": ("不能预约已经过去的时段", "Must not be in the past."),
    "slot_outside_calendar": ("该时段不在仪器的开放时间内（或当天不开放）",
                              "Outside the instrument's opening hours (or a closed day)."),
    "slot_alignment": ("须按仪器的最小时段对齐（从开放时间起，按最小时段的整数倍）",
                       "Must start and last whole multiples of the instrument's smallest slot."),
    "usage_future": ("使用开始后才能登记", "Usage is recorded once it has begun."),
    "opening_window": ("须为开放时段，如 09:00-12:00（开始早于结束）", "An opening window like 09:00-12:00 (start before end)."),
    "time_zone": ("不是已知的时区名称", "Not a known time zone, e.g. Asia/Shanghai."),
    "instrument_park": ("须为该机构服务的园区之一", "Must be one of the parks the institution serves."),
    "instrument_owner": ("没有这个在册的服务机构", "No active institution with this id."),
    "period_days": ("统计期最长 {days} 天", "At most {days} days."),
    "period_order": ("结束日期不能早于开始日期", "Must not be before from."),
    "this_century": ("须在 2000 年至 2099 年之间", "Must be in the years 2000 to 2099."),
    # the metrology register (docs/categories/metrology.md)
    "future_date": ("不能晚于今天", "Must not be in the future."),
    "certificate_incomplete": ("上次证书须同时填写编号和日期", "The last certificate needs its number and its date."),
    "serial_number_taken": ("台账中已有在用的器具使用出厂编号 {serial_number}",
                            "An instrument in use in this register already has serial number {serial_number}."),
    "no_instrument_register": ("尚未开通计量器具台账", "The enterprise has not opened its instrument register."),
    # the service catalogue (docs/categories/catalogue.md) and what a demand carries under it
    "catalogue_code": ("须为小写字母开头的字母、数字或下划线", "Must be lower-case letters, digits or underscores, starting with a letter."),
    "catalogue_choices": ("选择题须列出选项", "A choice field must list its choices."),
    "catalogue_categories_missing": ("缺少服务类别：{missing}", "Missing categories: {missing}."),
    "catalogue_sub_item_twice": ("子项编码 {sub_item} 在目录中出现了两次", "Sub-item code {sub_item} appears twice in the catalogue."),
    "catalogue_term_twice": ("词条 {term} 出现了两次", "The term {term} is listed twice."),
    "catalogue_term_loop": ("{term} 的上位词链绕回了它自己", "The broader terms of {term} lead back to it."),
    "unknown_sub_item": ("服务目录（第 {version} 版）的 {category} 类别中没有此子项", "Version {version} of the catalogue has no such sub-item in {category}."),
    "details_need_sub_item": ("填写明细须先选择子项", "Details need a sub-item."),
    "detail_date": ("须为 YYYY-MM-DD 形式的日期", "Must be a date, YYYY-MM-DD."),
    "qualification_or_track_record": ("须有资质，或在无需法定资质的类别中提供业绩", "Give a qualification, or a track record for categories that need no statutory qualification."),
    # testing, certification and the deliverables of quality services
    "yuan_amount": ("须为以元计的金额，如 1200 或 1200.50（最多两位小数）",
                    "Must be an amount in yuan, e.g. 1200 or 1200.50 (at most two decimals)."),
    "quote_total": ("须等于各计价项目金额之和（{total} 元）", "Must equal the sum of the items priced ({total} yuan)."),
    "document_number": ("只能包含字母、数字、汉字和 - _ / . ( ) [ ]，不含空格",
                        "Only letters, digits, Chinese characters and - _ / . ( ) [ ], no spaces."),
    "future_issue": ("签发日期不能晚于今天", "Must not be after today."),
    "until_before_issued": ("有效期至不能早于签发日期", "Must not be before issued_on."),
    "future_done": ("不能晚于今天", "Must not be after today."),
    "before_received": ("不能早于收样日期", "Must not be before the day the sample was received."),
    "required_for_category": ("{category} 类服务完成时必填", "Required to complete a {category} service."),
    "staff_filter": ("只有服务专员和监管人员可以按此筛选", "Only specialists and supervisors filter by this."),
}

# Standardisation projects and intellectual-property applications
MESSAGES.update({
    "stage_out_of_order": ("不能跳过阶段：下一个阶段是 {expected}", "No stage may be skipped: the next one is {expected}."),
    "stage_done": ("该阶段已完成，不能回退：下一个阶段是 {expected}", "That stage is done; no going back: the next one is {expected}."),
    "required_for_stage": ("该阶段必填", "Required for this stage."),
    "only_for_stage": ("仅在 {stage} 阶段填写", "Only for the {stage} stage."),
    "comments_handled": ("采纳、部分采纳与未采纳的意见数之和须等于收到的意见数",
                         "Adopted, partly adopted and not adopted must add up to the comments received."),
    "self_declaration_needed": ("企业标准发布时须记录其在企业标准信息公共服务平台上的自我声明",
                                "An enterprise standard is published with its self-declaration."),
    "declared_before_publication": ("自我声明日期不能早于发布日期", "Must not be before the publication date."),
    "office_code": ("须为受理机构的代码（2 到 10 个大写字母）", "Must be an office's code of 2 to 10 capital letters, e.g. CNIPA."),
    "trademark_classes": ("商标申请须列出尼斯分类的类别", "A trademark application lists its Nice classes."),
    "classes_trademark_only": ("只有商标申请有类别", "Only a trademark application has classes."),
    "patent_number_form": ("专利申请号须为 12 位数字、小数点和校验位，如 201710601862.3",
                           "A patent application number is 12 digits, a dot and a check digit, e.g. 201710601862.3."),
    "patent_number_kind": ("申请号中的申请种类与所选类型不符", "The number's kind digit is not of this kind of patent."),
    "patent_number_check": ("校验位不正确，请核对申请号", "Wrong check digit: check the number."),
    "filed_in_number_year": ("申请号表明申请日在 {year} 年", "The number says it was filed in {year}."),
    "trademark_number_form": ("商标申请号须为数字", "A trademark application number is digits."),
    "before_last_status": ("不能早于上一状态的日期 {last}", "Must not be before the last status's date, {last}."),
})

#: A bound's comparison as each language says it (marshmallow's Range names them).
_OPS = {">=": ("不小于", "at least"), ">": ("大于", "more than"),
        "<=": ("不大于", "at most"), "<": ("小于", "less than")}
#: Values that are codes, and the words each language has for them.
_VALUE_WORDS = {"setting": {"timezone": "时区", "hours": "工作时段", "weekend": "周末",
                            "holidays": "节假日", "extra_workdays": "调休工作日"}}
#: Values a message never carries: what was typed (never echoed: it may be a password), and
#: what only marshmallow's own English used.
_DROPPED = {"input", "regex", "labels", "obj_type", "awareness"}
LANGUAGES = ("zh-CN", "en")


class FieldMessage(str):
    """A field's message: its English as a string, with the code and values to word it in
    another language. marshmallow fills its templates with ``format``: here that keeps the
    code and adds the values."""

    code: str
    values: dict

    def __new__(cls, code: str, **values):
        if code not in MESSAGES:
            raise KeyError(f"no field message {code!r} in shared/field_messages.MESSAGES")
        message = super().__new__(cls, _render(code, values, "en"))
        message.code, message.values = code, values
        return message

    def format(self, *args, **kwargs) -> "FieldMessage":
        values = {**self.values, **{k: v for k, v in kwargs.items() if k not in _DROPPED}}
        return FieldMessage(_refined(self.code, kwargs), **values)

    def in_language(self, language: str) -> str:
        return _render(self.code, self.values, language)

    def __reduce__(self):
        return _restore, (self.code, self.values)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def _restore(code, values):
    return FieldMessage(code, **values)


said = FieldMessage


def _refined(code: str, given: dict) -> str:
    """The code a filled template says, where what it was given decides (a list's length is
    counted in items, marshmallow's one message for several kinds of time)."""
    if code.startswith("length_") and isinstance(given.get("input"), (list, tuple, dict, set)):
        return code + "_items"
    if code == "temporal":
        return {"date": "not_date", "time": "not_time"}.get(given.get("obj_type"), "not_datetime")
    if code == "awareness":
        return "not_naive" if given.get("awareness") == "naive" else "not_aware"
    return code


class _Kept(dict):
    """Values to fill a template with; one not given yet stays as its placeholder."""

    def __missing__(self, key):
        return "{" + key + "}"


def _render(code: str, values: dict, language: str) -> str:
    zh = language != "en"
    if code == "range_between" and values.get("min_op") == ">=" and values.get("max_op") == "<=":
        code = "range_within"
    template = MESSAGES.get(code, MESSAGES["invalid"])[0 if zh else 1]
    shown = _Kept()
    for key, value in values.items():
        if key.endswith("_op"):
            value = _OPS.get(value, (value, value))[0 if zh else 1]
        elif zh and key in _VALUE_WORDS:
            value = _VALUE_WORDS[key].get(value, value)
        elif zh and isinstance(value, str):
            value = value.replace(", ", "、")
        shown[key] = value
    return string.Formatter().vformat(template, (), shown)


def _each(messages, change):
    """``messages`` (field: messages, nested as the fields are) with ``change`` made of each."""
    if isinstance(messages, dict):
        return {key: _each(value, change) for key, value in messages.items()}
    if isinstance(messages, (list, tuple)) and not isinstance(messages, str):
        return [_each(value, change) for value in messages]
    return change(messages)


def worded(details, language: str):
    """``details`` with each field message in ``language``; anything else as it is."""
    return _each(details, lambda found: found.in_language(language)
                 if isinstance(found, FieldMessage) else found)


def codes_of(messages):
    """The codes and values of ``messages``, in its shape (None where a message is plain
    text): what crosses RPC beside the English so the gateway can word it again."""
    return _each(messages, lambda found: {"code": found.code, "values": found.values}
                 if isinstance(found, FieldMessage) else None)


def restored(messages, codes):
    """``messages`` with each message that ``codes`` (``codes_of``, after RPC) names made a
    FieldMessage again."""
    if isinstance(codes, dict) and set(codes) == {"code", "values"} and isinstance(codes["code"], str):
        return FieldMessage(codes["code"], **(codes["values"] or {})) if codes["code"] in MESSAGES else messages
    if isinstance(messages, dict) and isinstance(codes, dict):
        return {key: restored(value, codes.get(key)) for key, value in messages.items()}
    if isinstance(messages, list) and isinstance(codes, list) and len(codes) == len(messages):
        return [restored(value, code) for value, code in zip(messages, codes)]
    return messages


#: marshmallow's messages, by the class that declares them and their key: the code each is.
MARSHMALLOW_FIELDS = {
    "Field": {"required": "required", "null": "null", "validator_failed": "invalid"},
    "Nested": {"type": "wrong_type"},
    "List": {"invalid": "not_list"},
    "Tuple": {"invalid": "not_list"},
    "String": {"invalid": "not_text", "invalid_utf8": "not_utf8"},
    "UUID": {"invalid_uuid": "not_uuid"},
    "Number": {"invalid": "not_number", "too_large": "number_too_large"},
    "Integer": {"invalid": "not_integer"},
    "Float": {"special": "not_finite"},
    "Decimal": {"special": "not_finite"},
    "Boolean": {"invalid": "not_boolean"},
    "_TemporalField": {"invalid": "temporal", "invalid_awareness": "awareness", "format": "temporal"},
    "Date": {"invalid": "not_date", "format": "not_date"},
    "TimeDelta": {"invalid": "not_duration", "format": "not_duration"},
    "Mapping": {"invalid": "not_object"},
    "Url": {"invalid": "not_url"},
    "Email": {"invalid": "not_email"},
    "IP": {"invalid_ip": "not_ip"},
    "IPv4": {"invalid_ip": "not_ip"},
    "IPv6": {"invalid_ip": "not_ip"},
    "IPInterface": {"invalid_ip_interface": "not_ip"},
    "IPv4Interface": {"invalid_ip_interface": "not_ip"},
    "IPv6Interface": {"invalid_ip_interface": "not_ip"},
    "Enum": {"unknown": "one_of"},
}
#: marshmallow's validators' messages, by class and attribute.
MARSHMALLOW_VALIDATORS = {
    "URL": {"default_message": "not_url"},
    "Email": {"default_message": "not_email"},
    "Range": {"message_min": "range_min", "message_max": "range_max", "message_all": "range_between"},
    "Length": {"message_min": "length_min", "message_max": "length_max",
               "message_all": "length_between", "message_equal": "length_equal"},
    "Equal": {"default_message": "equal"},
    "Regexp": {"default_message": "pattern"},
    "Predicate": {"default_message": "invalid"},
    "NoneOf": {"default_message": "none_of"},
    "OneOf": {"default_message": "one_of"},
    "ContainsOnly": {"default_message": "contains_only"},
    "ContainsNoneOf": {"default_message": "contains_none_of"},
}
def install() -> None:
    """Make marshmallow's own messages field messages (its documented way: the class-level
    defaults), once, before any field is declared: ``shared/__init__.py`` calls it."""
    from marshmallow import Schema, fields, validate

    for name, codes in MARSHMALLOW_FIELDS.items():
        declared = vars(fields)[name].__dict__["default_error_messages"]
        for key, code in codes.items():
            declared[key] = said(code)
    Schema._default_error_messages = {"type": said("wrong_type"), "unknown": said("unknown_field")}
    for name, codes in MARSHMALLOW_VALIDATORS.items():
        for attribute, code in codes.items():
            setattr(vars(validate)[name], attribute, said(code))
    # The comparison words Range puts into its messages: kept as codes, worded per language.
    validate.Range.message_gte, validate.Range.message_gt = ">=", ">"
    validate.Range.message_lte, validate.Range.message_lt = "<=", "<"
