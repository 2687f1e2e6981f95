"""The draw's procedure as published to the public, in Chinese.

It says, step for step, what `reviews/spotchecks/algorithm.py` (version `spotcheck-draw/1`) does;
the English docstring there is the engineers' statement of the same procedure.
"""

ALGORITHM_RULES_ZH = """\
输入（随抽查批次一并公开）：
- 随机种子：一段文字，抽取时公开；创建批次时已公布其 SHA-256 承诺值；
- 抽取总体：每个培训一项 {"id": 备案编号, "stratum": 所在层, "risk": 风险分（不小于 0 的整数）}；
- 参数：抽取数量，或抽取比例（及最少抽取数量）、纯随机比例、各层抽取数量、是否按风险加权。

步骤：
1. 规范化总体：各项按 id 排序，以 JSON 序列化（键名排序，分隔符为 "," 和 ":"，UTF-8 编码，不转义中文）。
   总体 SHA-256 即这些字节的 SHA-256 十六进制值。
2. 每项的均匀随机数：u(标签, 层, id) = (HMAC-SHA256(密钥 = 种子的 UTF-8 字节, 消息 = "标签|层|id" 的 UTF-8 字节)
   的前 8 个字节按大端序读作整数 + 0.5) / 2^64；标签为 "random"（纯随机部分）或 "weighted"（风险加权部分）。
3. 各层名额：如规定了各层抽取数量，则第 s 层取 min(规定数量, 该层培训数)，未列出的层为 0；否则总数
   n = 抽取数量，或 ceil(比例 × 总体数)，n 不少于最少抽取数量、不多于总体数，再按各层规模以最大余数法分配
   （余数相同者先分给余数较大者，再按层名排序）。
4. 各层按层名排序，名额为 q 的层中：k = floor(q × 纯随机比例 + 1/2) 个 u("random") 最小的培训构成纯随机部分，
   不论风险高低；其余培训中，按 Efraimidis–Spirakis 键 log(u("weighted")) / w 取最大的 q − k 个构成风险加权部分，
   其中 w = 1 + 风险分（不按风险加权时 w 一律为 1）。键值相同时按 id 排序。
5. 抽中结果为按上述顺序排列的 {id, stratum, part, rank} 列表；结果 SHA-256 为其规范化 JSON 的 SHA-256。
"""
