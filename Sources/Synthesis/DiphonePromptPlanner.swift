import Foundation

/// Options for choosing a diphone prompt list.
public struct DiphonePromptOptions: Sendable, Equatable {
    /// Extra cost, in phones, of each word the curriculum never uses: of two prompts covering the same new diphones
    /// the one with common words wins, while a rare word still wins when it covers clearly more.
    public var rareWordPenaltyPhones = 2.0
    /// Longest run of curriculum words offered as one prompt. Runs of 2-3 words carry the joins between words.
    public var phraseWordsMax = 3

    public init() {}
    public static let `default` = DiphonePromptOptions()
}

/// A language's carrier phrase for isolated words (`Voices/prompts/carriers`): the words before and after it.
///
/// Format, one language a line: `code  words before * words after` (`sw  sema * tena`, "say ... again"). A word
/// read on its own from a list gets list intonation: each falls as if it ended a sentence and is lengthened and
/// over-articulated. The carrier keeps it mid-sentence at an even pitch and pace, festvox's practice for diphone
/// prompts, so units join smoothly and TD-PSOLA has little re-pitching to do. A language without a line reads its
/// words alone.
public struct DiphoneCarrier: Sendable, Equatable {
    public var before: String
    public var after: String

    public init(before: String, after: String) {
        self.before = before
        self.after = after
    }

    /// The carrier of one language from a carriers file, or nil when the file has no line for it.
    public static func load(from url: URL, language: Language) throws -> DiphoneCarrier? {
        try parse(DataFileLines(contentsOf: url), language: language)
    }

    /// Parses carriers text; `path` names the source in errors.
    public static func parse(_ text: String, path: String, language: Language) throws -> DiphoneCarrier? {
        try parse(DataFileLines(text: text, path: path), language: language)
    }

    static func parse(_ file: DataFileLines, language: Language) throws -> DiphoneCarrier? {
        var found: DiphoneCarrier?
        var seen: [String: Int] = [:]
        for (number, text) in file.lines {
            let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
            guard fields.count >= 2, fields.filter({ $0 == "*" }).count == 1, fields.first != "*" else {
                throw file.error(number, "expected 'code words * words' (one '*' for the word), found '\(text)'")
            }
            guard (try? Language(code: fields[0])) != nil else {
                throw file.error(number, "unknown language code '\(fields[0])'")
            }
            if let first = seen[fields[0]] {
                throw file.error(number, "'\(fields[0])' is listed twice (first on line \(first))")
            }
            seen[fields[0]] = number
            guard fields[0] == language.rawValue else { continue }
            let star = fields.firstIndex(of: "*")!
            found = DiphoneCarrier(
                before: fields[1..<star].joined(separator: " "), after: fields[(star + 1)...].joined(separator: " "))
        }
        return found
    }

    /// The prompt text for a word.
    public func text(_ word: String) -> String {
        [before, word, after].filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// A chosen prompt list with what it was chosen for.
public struct DiphonePromptPlan: Sendable {
    public var list: DiphonePromptList
    /// Every diphone the language needs.
    public var needed: Set<Diphone>
    /// Needed diphones no candidate covers (none when every source word is also a candidate).
    public var uncovered: [Diphone]
    /// How many candidate prompts the list was chosen from.
    public var candidateCount: Int

    /// Needed diphones the list covers.
    public var coveredCount: Int { needed.count - uncovered.count }
}

/// Chooses a small list of prompts that covers every diphone a language needs.
///
///     let planner = DiphonePromptPlanner(pronouncer: pronouncer, carrier: carrier)
///     let words = try DiphonePromptPlanner.lexiconWords(for: pronouncer, resources: resources)
///     let plan = planner.plan(texts: curriculumTexts, lexiconWords: words, command: "tutor voice prompts --lang sw")
///     try plan.list.formatted().write(to: url, atomically: true, encoding: .utf8)
///
/// Needed: every phoneme pair inside a lexicon word's pronunciation; every pair in the curriculum's sentences,
/// words run together inside a phrase as the synthesizer joins them; and silence before each word's first phone and
/// after its last. Candidates: each word in the language's carrier (`DiphoneCarrier`), and runs of 2 to
/// `phraseWordsMax` curriculum words inside a phrase, read as they stand (they carry the joins between words).
/// Greedy set cover picks, again and again, the candidate covering the most still-needed diphones per phone read
/// (`rareWordPenaltyPhones` added per word the curriculum never uses; ties go to the more frequent words). Silence
/// next to a word needs the word at the edge of what is read, which a carrier never gives: when the first pass
/// runs out, single words read alone join the candidates for what is left. Last, prompts whose diphones the others
/// all hold are dropped, costliest first (`withoutRedundant`). Immutable; may be shared.
public struct DiphonePromptPlanner: Sendable {
    public let pronouncer: Pronouncer
    public let normalizer: TextNormalizer
    public let carrier: DiphoneCarrier?
    public var options: DiphonePromptOptions

    public init(pronouncer: Pronouncer, carrier: DiphoneCarrier?, options: DiphonePromptOptions = .default) {
        self.pronouncer = pronouncer
        self.normalizer = TextNormalizer(language: pronouncer.language)
        self.carrier = carrier
        self.options = options
    }

    /// The words of a language's lexicon: the exceptions, the pronunciation golden's words, the `words` list
    /// where there is one, and, for English, every word of the pronouncing dictionary written with letters alone.
    public static func lexiconWords(for pronouncer: Pronouncer, resources: SynthesisResources) throws -> [String] {
        let language = pronouncer.language
        var words = Array(pronouncer.exceptions.entries.keys)
        for (_, text) in try DataFileLines(contentsOf: resources.lexiconFile(language, "pronunciation.golden")).lines {
            words.append(String(text.prefix { $0 != "\t" }))
        }
        let list = resources.lexiconFile(language, "words")
        if FileManager.default.fileExists(atPath: list.path) {
            for (_, text) in try DataFileLines(contentsOf: list).lines {
                words += text.split(whereSeparator: \.isWhitespace).map(String.init)
            }
        }
        if let dictionary = pronouncer.dictionary {
            for index in 0..<dictionary.count {
                let word = dictionary.word(at: index)
                // Letters alone, with a vowel letter: "hgh" and other letter names are not words to read.
                guard word.first?.isLetter == true, word.allSatisfy({ $0.isLetter || $0 == "'" }),
                    word.contains(where: { "aeiouy".contains($0) })
                else { continue }
                words.append(word)
            }
        }
        return words.sorted()
    }

    /// Every diphone the language needs, from curriculum texts and lexicon words (see the type's summary).
    public func neededDiphones(texts: [String], lexiconWords: [String]) -> Set<Diphone> {
        analyse(texts: texts, lexiconWords: lexiconWords).needed
    }

    /// The sentences' phrases, each word's citation pronunciation (folded spelling to symbols), the needed set.
    private func analyse(
        texts: [String], lexiconWords: [String]
    ) -> (
        sentences: [Phrase], wordPhones: [String: [String]], needed: Set<Diphone>
    ) {
        let sentences = texts.flatMap(phrases)
        var needed: Set<Diphone> = []
        for phrase in sentences {
            needed.formUnion(Diphone.of(utterance: phrase.words.flatMap(\.phones).map(\.symbol)))
        }
        var wordPhones: [String: [String]] = [:]
        for word in lexiconWords + sentences.flatMap({ $0.words.map(\.text) }) {
            let folded = pronouncer.fold(word)
            guard !folded.isEmpty, wordPhones[folded] == nil, let phones = pronouncer.pronounce(folded)?.phones
            else { continue }
            let symbols = phones.map(\.symbol)
            wordPhones[folded] = symbols
            needed.formUnion(Diphone.of(utterance: symbols))
        }
        return (sentences, wordPhones, needed)
    }

    /// Chooses the prompts. `command` is written in the list's first comment.
    public func plan(texts: [String], lexiconWords: [String], command: String) -> DiphonePromptPlan {
        let language = pronouncer.language
        let (sentences, wordPhones, needed) = analyse(texts: texts, lexiconWords: lexiconWords)
        var frequency: [String: Int] = [:]
        for word in sentences.flatMap(\.words) { frequency[pronouncer.fold(word.text), default: 0] += 1 }
        let words = wordPhones.keys.sorted()

        var pool = CandidatePool(inventory: pronouncer.inventory, needed: needed)
        func add(_ text: String, _ promptWords: [[String]], _ folded: [String], stage: Int) {
            let rare = folded.filter { frequency[$0] == nil }.count
            let cost = Double(promptWords.reduce(0) { $0 + $1.count }) + Double(rare) * options.rareWordPenaltyPhones
            let common = folded.map { frequency[$0] ?? 0 }.min() ?? 0
            pool.add(text: text, words: promptWords, cost: cost, frequency: common, stage: stage)
        }
        for word in words {
            if let carrier {
                // Pronounced whole, as a reader of the text would hear it ("say the again" links the to /ði/).
                let text = carrier.text(word)
                let spoken = pronouncer.phrases(text).phrases.flatMap(\.words).map { $0.phones.map(\.symbol) }
                add(text, spoken, [word], stage: 1)
                add(word, [wordPhones[word]!], [word], stage: 2)
            } else {
                add(word, [wordPhones[word]!], [word], stage: 1)
            }
        }
        var seenRuns: Set<String> = []
        for sentence in sentences where sentence.words.count >= 2 {
            for length in 2...max(2, options.phraseWordsMax) where length <= sentence.words.count {
                for start in 0...(sentence.words.count - length) {
                    let run = sentence.words[start..<(start + length)]
                    let text = run.map(\.text).joined(separator: " ")
                    guard seenRuns.insert(text.lowercased()).inserted else { continue }
                    // Said alone, a run can sound unlike inside its sentence (a final "the" loses its /ði/).
                    add(text, pronounced(text), run.map { pronouncer.fold($0.text) }, stage: 1)
                }
            }
        }

        let chosen = pool.withoutRedundant(pool.chooseGreedily(throughStage: 1) + pool.chooseGreedily(throughStage: 2))
        var prompts: [DiphonePrompt] = []
        for (number, index) in chosen.enumerated() {
            let candidate = pool.candidates[index]
            prompts.append(
                DiphonePrompt(
                    id: DiphonePromptList.id(number + 1, language: language), text: candidate.text,
                    words: candidate.words))
        }
        let uncovered = needed.subtracting(prompts.flatMap(\.diphones)).sorted()
        let phoneCount = prompts.reduce(0) { $0 + $1.phones.count }
        var comments = [
            "\(language.rawValue) diphone prompts: \(command)",
            "\(needed.count) diphones needed (lexicon words, curriculum sentences, silence at word edges); "
                + "\(needed.count - uncovered.count) covered by \(prompts.count) prompts of \(phoneCount) phones, "
                + "chosen from \(pool.candidates.count) candidates",
        ]
        if let carrier {
            comments.append(
                "Single words sit in the carrier '\(carrier.text("…"))' to keep them mid-sentence at an even pitch; "
                    + "a word alone is read as a one-word sentence.")
        }
        comments.append("Read each line's text as one short sentence, evenly, without stressing any word.")
        if !uncovered.isEmpty {
            comments.append("not covered: " + uncovered.map(\.description).joined(separator: " "))
        }
        comments.append("ID<TAB>TEXT<TAB>PHONEMES (Lexicons/\(language.rawValue)/phonemes symbols, | between words)")
        return DiphonePromptPlan(
            list: DiphonePromptList(language: language, comments: comments, prompts: prompts), needed: needed,
            uncovered: uncovered, candidateCount: pool.candidates.count)
    }

    private func phrases(_ text: String) -> [Phrase] { pronouncer.phrases(normalizer.normalize(text)).phrases }

    private func pronounced(_ text: String) -> [[String]] {
        phrases(text).flatMap(\.words).map { $0.phones.map(\.symbol) }
    }
}

/// Candidate prompts with their diphones as small integers, and the greedy cover over them.
private struct CandidatePool {
    struct Candidate {
        var text: String
        var words: [[String]]
        /// Distinct needed diphones, as codes.
        var diphones: [Int]
        var cost: Double
        var frequency: Int
        var stage: Int
    }

    let codes: [String: Int]
    /// Still-needed flags by diphone code.
    var open: [Bool]
    var candidates: [Candidate] = []
    var taken: Set<Int> = []

    init(inventory: PhonemeInventory, needed: Set<Diphone>) {
        var codes = [Diphone.silence: 0]
        for symbol in inventory.symbols { codes[symbol] = codes.count }
        self.codes = codes
        open = Array(repeating: false, count: codes.count * codes.count)
        for diphone in needed {
            if let code = code(diphone) { open[code] = true }
        }
    }

    func code(_ diphone: Diphone) -> Int? {
        guard let left = codes[diphone.left], let right = codes[diphone.right] else { return nil }
        return left * codes.count + right
    }

    mutating func add(text: String, words: [[String]], cost: Double, frequency: Int, stage: Int) {
        let diphones = Set(Diphone.of(utterance: words.flatMap { $0 }).compactMap(code)).filter { open[$0] }
        guard !diphones.isEmpty else { return }
        candidates.append(
            Candidate(
                text: text, words: words, diphones: diphones.sorted(), cost: cost, frequency: frequency, stage: stage))
    }

    func gain(_ index: Int) -> Int { candidates[index].diphones.reduce(0) { $0 + (open[$1] ? 1 : 0) } }

    /// Drops chosen prompts whose diphones the others all hold, most expensive first: greedy picks early prompts
    /// for diphones later ones happen to cover too. A first-pass prompt (a word in its carrier) gives way only to
    /// other first-pass prompts, never to a word read alone.
    func withoutRedundant(_ chosen: [Int]) -> [Int] {
        var holders = [Int](repeating: 0, count: open.count)
        var firstPassHolders = holders
        for index in chosen {
            for code in candidates[index].diphones {
                holders[code] += 1
                if candidates[index].stage == 1 { firstPassHolders[code] += 1 }
            }
        }
        var dropped: Set<Int> = []
        let costliest = chosen.sorted { (candidates[$0].cost, $0) > (candidates[$1].cost, $1) }
        for index in costliest {
            let firstPass = candidates[index].stage == 1
            let others = firstPass ? firstPassHolders : holders
            guard candidates[index].diphones.allSatisfy({ others[$0] > 1 }) else { continue }
            for code in candidates[index].diphones {
                holders[code] -= 1
                if firstPass { firstPassHolders[code] -= 1 }
            }
            dropped.insert(index)
        }
        return chosen.filter { !dropped.contains($0) }
    }

    /// Lazy greedy: a candidate's gain only falls as others are taken, so a popped candidate whose fresh score
    /// still beats the next stale one is the best (Minoux's accelerated greedy).
    mutating func chooseGreedily(throughStage stage: Int) -> [Int] {
        var heap = ScoreHeap()
        for index in candidates.indices where candidates[index].stage <= stage && !taken.contains(index) {
            heap.push(score(index, gain: gain(index)))
        }
        var chosen: [Int] = []
        while let top = heap.pop() {
            let fresh = gain(top.index)
            if fresh == 0 { continue }
            let rescored = score(top.index, gain: fresh)
            if let next = heap.peek, next > rescored {
                heap.push(rescored)
                continue
            }
            chosen.append(top.index)
            taken.insert(top.index)
            for code in candidates[top.index].diphones { open[code] = false }
        }
        return chosen
    }

    func score(_ index: Int, gain: Int) -> ScoreHeap.Entry {
        ScoreHeap.Entry(
            ratio: Double(gain) / candidates[index].cost, frequency: candidates[index].frequency, index: index)
    }
}

/// A max-heap of candidate scores: best ratio, then the more frequent words, then the earlier candidate.
private struct ScoreHeap {
    struct Entry: Comparable {
        var ratio: Double
        var frequency: Int
        var index: Int

        static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.ratio, lhs.frequency, -lhs.index) < (rhs.ratio, rhs.frequency, -rhs.index)
        }
    }

    private var entries: [Entry] = []

    var peek: Entry? { entries.first }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[parent] < entries[child] else { break }
            entries.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let top = entries.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var largest = parent
            if left < entries.count, entries[largest] < entries[left] { largest = left }
            if right < entries.count, entries[largest] < entries[right] { largest = right }
            if largest == parent { break }
            entries.swapAt(parent, largest)
            parent = largest
        }
        return top
    }
}
