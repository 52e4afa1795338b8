"""The words of the generated province: real agency names, directive kinds, task phrasing.

Task titles are assembled from a verb, a topic, a scope and an occasional tail, the way the
province's conclusion notices and plans word them; deadlines use the phrase forms the
documents use, and are read by the app's own parser.
"""

from __future__ import annotations

from app.agencies.models import AgencyKind
from app.directives.models import DirectiveKind

REAL_AGENCIES: list[tuple[str, str | None, AgencyKind]] = [
    # The busiest agency comes first: lead agencies are drawn with decreasing weights.
    ("Sở Thông tin và Truyền thông", "Sở TT&TT", AgencyKind.DEPARTMENT),
    ("Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", AgencyKind.DEPARTMENT),
    ("Sở Tài nguyên và Môi trường", "Sở TN&MT", AgencyKind.DEPARTMENT),
    ("Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", AgencyKind.DEPARTMENT),
    ("Sở Tài chính", None, AgencyKind.DEPARTMENT),
    ("Sở Nội vụ", None, AgencyKind.DEPARTMENT),
    ("Sở Xây dựng", None, AgencyKind.DEPARTMENT),
    ("Sở Giao thông vận tải", "Sở GTVT", AgencyKind.DEPARTMENT),
    ("Sở Công Thương", None, AgencyKind.DEPARTMENT),
    ("Sở Y tế", None, AgencyKind.DEPARTMENT),
    ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT", AgencyKind.DEPARTMENT),
    ("Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH", AgencyKind.DEPARTMENT),
    ("Sở Văn hóa và Thể thao", "Sở VH&TT", AgencyKind.DEPARTMENT),
    ("Sở Du lịch", None, AgencyKind.DEPARTMENT),
    ("Sở Khoa học và Công nghệ", "Sở KH&CN", AgencyKind.DEPARTMENT),
    ("Sở Tư pháp", None, AgencyKind.DEPARTMENT),
    ("Sở Ngoại vụ", None, AgencyKind.DEPARTMENT),
    ("Thanh tra tỉnh", None, AgencyKind.DEPARTMENT),
    ("Văn phòng UBND tỉnh", "VP UBND tỉnh", AgencyKind.DEPARTMENT),
    ("Ban Dân tộc tỉnh", None, AgencyKind.DEPARTMENT),
    ("Ban Quản lý Khu kinh tế tỉnh", "BQL KKT", AgencyKind.DEPARTMENT),
    ("Trung tâm Phục vụ hành chính công tỉnh", "Trung tâm PVHCC", AgencyKind.DEPARTMENT),
    ("UBND thành phố Quy Nhơn", None, AgencyKind.DISTRICT),
    ("UBND thị xã An Nhơn", None, AgencyKind.DISTRICT),
    ("UBND thị xã Hoài Nhơn", None, AgencyKind.DISTRICT),
    ("UBND huyện Tuy Phước", None, AgencyKind.DISTRICT),
    ("UBND huyện Phù Cát", None, AgencyKind.DISTRICT),
    ("UBND huyện Phù Mỹ", None, AgencyKind.DISTRICT),
    ("UBND huyện Hoài Ân", None, AgencyKind.DISTRICT),
    ("UBND huyện Tây Sơn", None, AgencyKind.DISTRICT),
    ("UBND huyện Vân Canh", None, AgencyKind.DISTRICT),
    ("UBND huyện Vĩnh Thạnh", None, AgencyKind.DISTRICT),
    ("UBND huyện An Lão", None, AgencyKind.DISTRICT),
    ("Công an tỉnh", None, AgencyKind.CENTRAL),
    ("Bộ Chỉ huy Quân sự tỉnh", None, AgencyKind.CENTRAL),
    ("Bộ Chỉ huy Bộ đội Biên phòng tỉnh", None, AgencyKind.CENTRAL),
    ("Cục Thuế tỉnh", None, AgencyKind.CENTRAL),
    ("Cục Hải quan tỉnh", None, AgencyKind.CENTRAL),
    ("Kho bạc Nhà nước tỉnh", None, AgencyKind.CENTRAL),
    ("Cục Thống kê tỉnh", None, AgencyKind.CENTRAL),
    ("Bảo hiểm xã hội tỉnh", "BHXH tỉnh", AgencyKind.CENTRAL),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "UBMTTQVN tỉnh", AgencyKind.PARTY_MASS),
    ("Tỉnh Đoàn", None, AgencyKind.PARTY_MASS),
    ("Hội Liên hiệp Phụ nữ tỉnh", None, AgencyKind.PARTY_MASS),
    ("Hội Nông dân tỉnh", None, AgencyKind.PARTY_MASS),
    ("Liên đoàn Lao động tỉnh", None, AgencyKind.PARTY_MASS),
]
# Past the real names, numbered ones in the style of "Sở Ban ngành 001".
NUMBERED_AGENCIES: list[tuple[str, AgencyKind]] = [
    ("Sở Ban ngành", AgencyKind.DEPARTMENT),
    ("UBND huyện", AgencyKind.DISTRICT),
    ("Ban Quản lý dự án", AgencyKind.OTHER),
    ("Chi cục", AgencyKind.CENTRAL),
    ("Hội đoàn thể", AgencyKind.PARTY_MASS),
    ("Trung tâm", AgencyKind.DEPARTMENT),
]

DIRECTIVE_KINDS: list[tuple[DirectiveKind, str, str]] = [
    (DirectiveKind.DECISION, "QĐ-UBND", "Quyết định ban hành Kế hoạch"),
    (DirectiveKind.PLAN, "KH-UBND", "Kế hoạch"),
    (DirectiveKind.DIRECTIVE, "CT-UBND", "Chỉ thị về việc"),
    (DirectiveKind.CONCLUSION, "TB-UBND", "Thông báo kết luận của Chủ tịch UBND tỉnh về"),
    (DirectiveKind.OFFICIAL_LETTER, "UBND-KT", "Công văn về việc"),
    (DirectiveKind.RESOLUTION, "NQ-HĐND", "Nghị quyết về"),
]
SIGNERS = [
    ("Phạm Anh Tuấn", "Chủ tịch"),
    ("Nguyễn Tuấn Thanh", "Phó Chủ tịch Thường trực"),
    ("Lâm Hải Giang", "Phó Chủ tịch"),
    ("Nguyễn Tự Công Hoàng", "Phó Chủ tịch"),
]
SECTIONS = [
    "Về cải cách thủ tục hành chính",
    "Về phát triển kinh tế - xã hội",
    "Về tổ chức thực hiện",
]

VERBS = [
    "Triển khai",
    "Xây dựng",
    "Hoàn thiện",
    "Tổ chức thực hiện",
    "Tham mưu UBND tỉnh ban hành kế hoạch về",
    "Rà soát, đánh giá",
    "Đẩy mạnh",
    "Nghiên cứu, đề xuất giải pháp về",
    "Chủ trì, phối hợp triển khai",
    "Kiểm tra, giám sát việc thực hiện",
    "Hướng dẫn các địa phương thực hiện",
    "Tăng cường",
    "Đôn đốc, theo dõi",
    "Báo cáo kết quả thực hiện",
    "Phối hợp xử lý dứt điểm tồn tại về",
    "Đầu tư nâng cấp",
]
TOPICS = [
    "chuyển đổi số",
    "cải cách thủ tục hành chính",
    "hạ tầng số",
    "cơ sở dữ liệu đất đai",
    "dịch vụ công trực tuyến toàn trình",
    "an toàn thông tin mạng",
    "chính quyền số",
    "kinh tế số",
    "Đề án 06 về dữ liệu dân cư",
    "quy hoạch sử dụng đất",
    "giải phóng mặt bằng các dự án trọng điểm",
    "giải ngân vốn đầu tư công",
    "xây dựng nông thôn mới",
    "phòng, chống thiên tai",
    "bảo vệ môi trường",
    "xử lý rác thải sinh hoạt",
    "giáo dục nghề nghiệp",
    "y tế cơ sở",
    "an sinh xã hội",
    "giảm nghèo bền vững",
    "phát triển du lịch",
    "xúc tiến đầu tư",
    "hỗ trợ doanh nghiệp nhỏ và vừa",
    "thu ngân sách nhà nước",
    "phòng, chống tham nhũng, tiêu cực",
    "nâng cao chỉ số PCI",
    "Khu kinh tế Nhơn Hội",
    "cảng biển Quy Nhơn",
    "tuyến đường ven biển",
    "bảo đảm trật tự an toàn giao thông",
    "phòng cháy, chữa cháy",
    "quản lý khoáng sản",
    "trồng rừng thay thế",
    "cấp nước sạch nông thôn",
    "nhà ở xã hội",
    "chữ ký số cá nhân",
    "thanh toán không dùng tiền mặt",
    "kho dữ liệu dùng chung của tỉnh",
]
SCOPES = [
    "trên địa bàn tỉnh",
    "tại các sở, ban, ngành và địa phương",
    "năm {year}",
    "giai đoạn 2021-2025",
    "theo chỉ đạo của UBND tỉnh",
    "bảo đảm đúng quy định của pháp luật",
    "gắn với chuyển đổi số",
    "trong lĩnh vực được giao",
    "tại các huyện, thị xã, thành phố",
    "phục vụ người dân và doanh nghiệp",
]
TAILS = [
    "",
    "",
    "",
    "; báo cáo kết quả về UBND tỉnh (qua Văn phòng UBND tỉnh) để theo dõi, chỉ đạo.",
    "; kịp thời tham mưu, đề xuất UBND tỉnh xử lý những khó khăn, vướng mắc phát sinh.",
    ". Lưu ý, phải rõ người, rõ việc, rõ trách nhiệm, rõ thời gian hoàn thành.",
]
PRODUCTS = [None, None, "Kế hoạch", "Báo cáo", "Quyết định", "Đề án", "Tờ trình", "Văn bản"]
EXPLANATION_SENTENCES = [
    "Đơn vị đã ban hành kế hoạch triển khai và phân công nhiệm vụ cụ thể cho từng phòng chuyên môn.",
    "Đã tổ chức hội nghị quán triệt, triển khai đến toàn thể cán bộ, công chức, viên chức.",
    "Hiện nay đang phối hợp với các sở, ngành liên quan hoàn thiện dự thảo để trình UBND tỉnh.",
    "Do vướng mắc về thủ tục đầu tư nên tiến độ thực hiện còn chậm so với kế hoạch đề ra.",
    "Kinh phí thực hiện chưa được bố trí đầy đủ, đơn vị đã có văn bản đề nghị Sở Tài chính thẩm định.",
    "Đã hoàn thành 70% khối lượng công việc, dự kiến hoàn thành trong quý tiếp theo.",
    "Đơn vị đã lấy ý kiến góp ý của các cơ quan, đơn vị, địa phương và tiếp thu, giải trình đầy đủ.",
    "Kết quả thực hiện được cập nhật định kỳ trên Hệ thống theo dõi nhiệm vụ của tỉnh.",
    "Công tác giải phóng mặt bằng còn gặp khó khăn do một số hộ dân chưa đồng thuận với phương án bồi thường.",
    "Đề nghị UBND tỉnh cho phép gia hạn thời gian thực hiện để bảo đảm chất lượng sản phẩm.",
    "Đã trình Hội đồng thẩm định xem xét, dự kiến ban hành trong tháng tới.",
    "Số liệu được tổng hợp từ báo cáo của các huyện, thị xã, thành phố và các đơn vị trực thuộc.",
    "Đơn vị tiếp tục theo dõi, đôn đốc các địa phương thực hiện theo đúng lộ trình đã đề ra.",
    "Sản phẩm đã được nghiệm thu và đưa vào vận hành chính thức, phục vụ người dân và doanh nghiệp.",
    "Nhiệm vụ có tính chất thường xuyên, đơn vị tiếp tục triển khai trong các năm tiếp theo.",
    "Trong kỳ, đã tiếp nhận và xử lý đúng hạn 98,5% hồ sơ thủ tục hành chính.",
    "Đã phối hợp với Sở Thông tin và Truyền thông kết nối, chia sẻ dữ liệu với kho dữ liệu dùng chung.",
    "Nguyên nhân chậm là do chờ hướng dẫn của Bộ, ngành Trung ương.",
]
RECURRING_PHRASES = [
    "Hằng năm",
    "Hàng năm",
    "Hằng quý",
    "hằng tháng",
    "trước ngày 25 hằng tháng",
    "trước ngày 15/12 hằng năm",
    "định kỳ 6 tháng",
    "trước ngày 20 của tháng cuối quý",
]
CONTINUOUS_PHRASES = ["Thường xuyên", "Thường xuyên, liên tục", "Liên tục"]
UNSPECIFIED_PHRASES = [
    None,
    "Theo lộ trình Nghị định số 107/2021/NĐ-CP",
    "Theo tiến độ được giao",
    "Khi có yêu cầu",
    "theo đúng tiến độ được phê duyệt",
    "Theo tiến độ của Đề án 06",
]
ROMAN = ["I", "II", "III", "IV"]
RETURN_NOTES = [
    "Báo cáo chưa nêu rõ kết quả cụ thể, đề nghị bổ sung số liệu.",
    "Đề nghị làm rõ nguyên nhân chậm tiến độ và giải pháp khắc phục.",
    "Chưa đính kèm văn bản, sản phẩm đã ban hành.",
]
EXTENSION_REASONS = [
    "Chờ ý kiến thẩm định của Bộ, ngành Trung ương.",
    "Vướng mắc trong công tác giải phóng mặt bằng, cần thêm thời gian để thống nhất phương án.",
    "Kinh phí thực hiện chưa được bố trí, đang chờ Sở Tài chính thẩm định.",
    "Cần lấy thêm ý kiến của các sở, ngành và địa phương liên quan.",
]
