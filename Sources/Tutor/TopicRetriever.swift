import Foundation

/// Settings for finding topics from a question, with their defaults and why.
public struct RetrievalOptions: Sendable, Equatable {
    /// Weight of a word in a topic's `ask:` lines: children's questions look most like other children's questions.
    public var askWeight = 3.0
    /// Weight of a word in a topic's `misheard:` lines.
    public var misheardWeight = 2.0
    /// Weight of a word in the title.
    public var titleWeight = 2.0
    /// Weight of a word in the key terms.
    public var termWeight = 2.0
    /// Weight of a word in the answer.
    public var answerWeight = 1.0
    /// Weight of a word in the `why`, `more`, `simpler` and `experiment` texts.
    public var followUpWeight = 0.5
    /// BM25 term-frequency saturation.
    public var k1 = 1.2
    /// BM25 length normalization (0: none, 1: full).
    public var b = 0.75
    /// Weight of a shared glossary concept, relative to a shared word.
    public var conceptWeight = 1.0
    /// Weight of the phrase a glossary mishearing stands for, relative to a word as heard.
    public var mishearingWeight = 1.0
    /// Least similarity (`FuzzyMatch`) for an unknown word to stand for a vocabulary word.
    public var fuzzyMinimumSimilarity = 0.72
    /// Least similarity for a vocabulary word to stand beside the stem of a word form the curriculum never writes
    /// (`lighting` -> `light` and `lightning`); above 1, such words are read by their stem alone.
    public var stemNeighbourMinimumSimilarity = 0.85
    /// Similarity given to a vocabulary word with the same consonant skeleton as adjacent words run together, one of
    /// them unknown (`lay sir` -> `laser`); above 1, such short skeletons are not matched.
    public var joinedSkeletonSimilarity = 0.8
    /// Words shorter than this are not fuzzy-matched on their own (too many near neighbours).
    public var fuzzyMinimumLetters = 4
    /// How much an unknown word counts against confidence, as a share of the rarest word's IDF: a word no topic
    /// uses is as telling as the rarest word some topic uses.
    public var unknownWordIDFShare = 1.0
    /// Answers below this confidence are refused with "I don't know that one yet".
    ///
    /// Chosen on Evaluation/dev and leave-one-out over the curriculum's ask lines (`tutor eval tutor --set dev
    /// --leave-one-out --retrieval confidenceThreshold=...`): 0.30 let 3 of 12 dev off-topic questions through,
    /// 0.33 lets 1 through while 93% (en) and 82% (sw) of left-out ask lines stay above it; 0.40 refuses
    /// a third more left-out Swahili ask lines for no gain on dev.
    public var confidenceThreshold = 0.33
    /// How many ranked topics a result holds.
    public var resultCount = 5

    /// Creates the default options.
    public init() {}

    /// The names `setting(_:to:)` accepts, for tuning experiments from the command line.
    public static let settingNames = [
        "askWeight", "misheardWeight", "titleWeight", "termWeight", "answerWeight", "followUpWeight",
        "k1", "b",
        "conceptWeight", "mishearingWeight", "fuzzyMinimumSimilarity", "stemNeighbourMinimumSimilarity",
        "joinedSkeletonSimilarity", "unknownWordIDFShare", "confidenceThreshold",
    ]

    /// Sets one numeric option by name; returns `false` for an unknown name.
    public mutating func setting(_ name: String, to value: Double) -> Bool {
        switch name {
        case "askWeight": askWeight = value
        case "misheardWeight": misheardWeight = value
        case "titleWeight": titleWeight = value
        case "termWeight": termWeight = value
        case "answerWeight": answerWeight = value
        case "followUpWeight": followUpWeight = value
        case "k1": k1 = value
        case "b": b = value
        case "conceptWeight": conceptWeight = value
        case "mishearingWeight": mishearingWeight = value
        case "fuzzyMinimumSimilarity": fuzzyMinimumSimilarity = value
        case "stemNeighbourMinimumSimilarity": stemNeighbourMinimumSimilarity = value
        case "joinedSkeletonSimilarity": joinedSkeletonSimilarity = value
        case "unknownWordIDFShare": unknownWordIDFShare = value
        case "confidenceThreshold": confidenceThreshold = value
        default: return false
        }
        return true
    }

    /// The defaults.
    public static let `default` = RetrievalOptions()
}

/// One ranked topic for a question.
public struct RetrievedTopic: Sendable, Equatable {
    /// The topic id.
    public var id: String
    /// The BM25F score (unbounded, comparable only within one question).
    public var score: Double
    /// The share of the question this topic explains, in [0, 1].
    public var confidence: Double
}

/// The topics found for one question, best first.
public struct RetrievalResult: Sendable, Equatable {
    /// The language the question was matched in (the detected one when `auto` was asked).
    public var language: String
    /// Ranked topics, best first; empty when no word of the question matched.
    public var topics: [RetrievedTopic]
    /// The threshold the confidence was compared against.
    public var threshold: Double

    /// The best topic, if any.
    public var best: RetrievedTopic? { topics.first }
    /// The best topic's confidence, 0 when nothing matched.
    public var confidence: Double { topics.first?.confidence ?? 0 }
    /// Whether the best topic is confident enough to answer from (otherwise: "I don't know that one yet").
    public var isConfident: Bool { confidence >= threshold }
}

/// Finds curriculum topics for a question: BM25F over each topic's fields, expanded through the glossary, with a
/// fuzzy layer for misrecognized words.
///
/// Pipeline for a question: normalize (`TextNormalizer`); add the phrases that glossary mishearings stand for; drop
/// stop words; stem; words not in the language's vocabulary (and adjacent words run together, `gravy tea` ->
/// `gravytea`) are matched to the nearest vocabulary words (`FuzzyMatch`); glossary concepts named anywhere become
/// concept tokens on both sides. Topics are ranked by BM25F score; the confidence is the IDF-weighted share of the
/// question's words that the topic explains (see `TopicIndex.rank`), so a question made of words the curriculum
/// never uses, or that one topic barely mentions, scores near 0.
///
/// An immutable value, safe to share between threads once built.
public struct TopicRetriever: Sendable {
    /// The language code that asks the retriever to detect the language.
    public static let automaticLanguage = "auto"

    /// The options the retriever was built with.
    public let options: RetrievalOptions
    let indexes: [String: TopicIndex]

    /// Builds an index per language over the curriculum's topics.
    public init(
        curriculum: Curriculum, glossary: Glossary = .empty, languages: [String] = ["en", "sw"],
        options: RetrievalOptions = .default
    ) {
        self.init(
            documents: languages.map { language in curriculum.topics(in: language).map { TopicDocument($0) } },
            glossary: glossary, options: options)
    }

    /// A retriever over ready indexes (leave-one-out evaluation).
    init(indexes: [String: TopicIndex], options: RetrievalOptions) {
        self.options = options
        self.indexes = indexes
    }

    /// A copy whose index of the topic's language lacks one of the topic's `ask:` lines.
    func leavingOut(ask: String, of topic: CurriculumTopic) -> TopicRetriever {
        var indexes = self.indexes
        indexes[topic.language] = indexes[topic.language]?.leavingOut(ask, kind: .ask, fromTopic: topic.id)
        return TopicRetriever(indexes: indexes, options: options)
    }

    /// Builds an index per language over prepared documents (all of one language per inner array).
    init(documents: [[TopicDocument]], glossary: Glossary, options: RetrievalOptions) {
        self.options = options
        var indexes: [String: TopicIndex] = [:]
        for group in documents {
            guard let language = group.first?.language else { continue }
            indexes[language] = TopicIndex(documents: group, glossary: glossary, options: options)
        }
        self.indexes = indexes
    }

    /// The languages that have an index, sorted.
    public var languages: [String] { indexes.keys.sorted() }

    /// The language whose words the question uses most: the count of words that are in the language's vocabulary,
    /// stop words or glossary; ties go to English, then to the first language by code.
    public func detectLanguage(_ question: String) -> String {
        detectLanguage(question, among: languages)
    }

    /// The language among `candidates` whose words the question uses most (the same count and tie rules).
    public func detectLanguage(_ question: String, among candidates: [String]) -> String {
        var best: (language: String, hits: Int)?
        for language in candidates.sorted() {
            guard let index = indexes[language] else { continue }
            let hits = index.recognizedWordCount(question)
            if best == nil || hits > best!.hits || (hits == best!.hits && language == "en") {
                best = (language, hits)
            }
        }
        return best?.language ?? "en"
    }

    /// Ranks the topics of `language` (or of the detected language for `auto`) for a question.
    public func retrieve(_ question: String, language: String) -> RetrievalResult {
        let chosen = language == Self.automaticLanguage ? detectLanguage(question) : language
        guard let index = indexes[chosen] else {
            return RetrievalResult(language: chosen, topics: [], threshold: options.confidenceThreshold)
        }
        let ranked = index.rank(question).prefix(options.resultCount)
        return RetrievalResult(language: chosen, topics: Array(ranked), threshold: options.confidenceThreshold)
    }
}

/// One topic as retrieval sees it: weighted texts.
struct TopicDocument: Sendable {
    var id: String
    var language: String
    var fields: [(text: String, weight: FieldKind)]

    enum FieldKind: Sendable { case ask, misheard, title, term, answer, followUp }

    init(id: String, language: String, fields: [(text: String, weight: FieldKind)]) {
        self.id = id
        self.language = language
        self.fields = fields
    }

    init(_ topic: CurriculumTopic, leavingOutAsk leftOut: Int? = nil) {
        var fields: [(text: String, weight: FieldKind)] = []
        for (number, ask) in topic.asks.enumerated() where number != leftOut {
            fields.append((ask, .ask))
        }
        fields += topic.misheard.map { ($0, .misheard) }
        fields.append((topic.title, .title))
        fields += topic.terms.map { ($0, .term) }
        fields.append((topic.answer, .answer))
        fields += [topic.why, topic.more, topic.simpler, topic.experiment].map { ($0, .followUp) }
        self.init(id: topic.id, language: topic.language, fields: fields)
    }
}

/// The BM25F index of one language's topics.
struct TopicIndex: Sendable {
    let language: String
    let options: RetrievalOptions
    let ids: [String]
    private(set) var frequencies: [[String: Double]]  // (documents) term -> weighted term frequency
    private(set) var lengths: [Double]  // (documents) weighted length
    private(set) var averageLength: Double
    private(set) var documentFrequency: [String: Int]
    let vocabulary: [String: String]  // surface content word -> stem
    let vocabularyByLength: [Int: [FuzzyMatch.Word]]
    let stopWords: Set<String>
    let concepts: [(id: String, forms: [[String]])]  // stemmed word sequences
    let mishearings: [(heard: [String], meant: [String])]
    let glossaryWords: Set<String>

    init(documents: [TopicDocument], glossary: Glossary, options: RetrievalOptions) {
        let language = documents.first?.language ?? "en"
        self.language = language
        self.options = options
        self.stopWords = StopWords.list(for: language)
        let stem = { (word: String) in Stemmer.stem(word, language: language) }
        self.concepts = glossary.concepts(in: language).map { concept in
            (
                "#" + concept.id,
                (concept.forms[language] ?? []).map { TextNormalizer.words($0, language: language).map(stem) }
            )
        }
        self.mishearings = glossary.mishearings.filter { $0.language == language }.map {
            (TextNormalizer.words($0.heard, language: language), TextNormalizer.words($0.meant, language: language))
        }
        self.glossaryWords = Set(
            glossary.concepts(in: language).flatMap { $0.forms[language] ?? [] }
                .flatMap { TextNormalizer.words($0, language: language) })

        var ids: [String] = []
        var frequencies: [[String: Double]] = []
        var lengths: [Double] = []
        var documentFrequency: [String: Int] = [:]
        var vocabulary: [String: String] = [:]
        for document in documents {
            var counts: [String: Double] = [:]
            var length = 0.0
            for field in document.fields {
                let weight = options.weight(of: field.weight)
                let words = TextNormalizer.words(field.text, language: language)
                let stems = words.map(stem)
                let frame = StopWords.framePositions(in: words, language: language)
                for (position, (word, stemmed)) in zip(words, stems).enumerated()
                where !stopWords.contains(word) && !frame.contains(position) {
                    counts[stemmed, default: 0] += weight
                    length += weight
                    vocabulary[word] = stemmed
                }
                for concept in Self.conceptTags(in: stems, concepts: concepts) {
                    counts[concept, default: 0] += weight * options.conceptWeight
                }
            }
            for term in counts.keys { documentFrequency[term, default: 0] += 1 }
            ids.append(document.id)
            frequencies.append(counts)
            lengths.append(length)
        }
        self.ids = ids
        self.frequencies = frequencies
        self.lengths = lengths
        self.averageLength = lengths.isEmpty ? 1 : max(1, lengths.reduce(0, +) / Double(lengths.count))
        self.documentFrequency = documentFrequency
        self.vocabulary = vocabulary
        self.vocabularyByLength = Dictionary(grouping: vocabulary.keys.sorted().map(FuzzyMatch.Word.init)) {
            $0.bytes.count
        }
    }

    /// A copy of the index without one text of one topic (leave-one-out evaluation without rebuilding).
    ///
    /// The text's words stay in the fuzzy-matching vocabulary; only counts change. That small leak is why
    /// leave-one-out figures are a tuning aid and not the held-out measure.
    func leavingOut(_ text: String, kind: TopicDocument.FieldKind, fromTopic id: String) -> TopicIndex {
        guard let document = ids.firstIndex(of: id) else { return self }
        var copy = self
        let weight = options.weight(of: kind)
        let words = TextNormalizer.words(text, language: language)
        let stems = words.map { Stemmer.stem($0, language: language) }
        let frame = StopWords.framePositions(in: words, language: language)
        var removals: [(String, Double)] = zip(words, stems).enumerated()
            .filter { !stopWords.contains($0.element.0) && !frame.contains($0.offset) }.map { ($0.element.1, weight) }
        removals += Self.conceptTags(in: stems, concepts: concepts).map { ($0, weight * options.conceptWeight) }
        for (term, amount) in removals {
            guard let count = copy.frequencies[document][term] else { continue }
            if count - amount <= 1e-9 {
                copy.frequencies[document][term] = nil
                copy.documentFrequency[term, default: 1] -= 1
            } else {
                copy.frequencies[document][term] = count - amount
            }
            if !term.hasPrefix("#") { copy.lengths[document] -= amount }
        }
        copy.averageLength = max(1, copy.lengths.reduce(0, +) / Double(max(1, copy.lengths.count)))
        return copy
    }

    /// The concept tokens whose forms occur, as contiguous stem sequences, in `stems`.
    static func conceptTags(in stems: [String], concepts: [(id: String, forms: [[String]])]) -> Set<String> {
        var found: Set<String> = []
        for concept in concepts {
            for form in concept.forms where !form.isEmpty && form.count <= stems.count {
                let hit = (0...(stems.count - form.count)).contains { start in
                    stems[start..<(start + form.count)].elementsEqual(form)
                }
                if hit {
                    found.insert(concept.id)
                    break
                }
            }
        }
        return found
    }

    func idf(_ term: String) -> Double {
        let n = Double(ids.count)
        let df = Double(documentFrequency[term] ?? 0)
        return log(1 + (n - df + 0.5) / (df + 0.5))
    }

    var maximumIDF: Double { log(1 + (Double(ids.count) + 0.5) / 0.5) }

    /// How many words of the text this language knows (vocabulary, stop words, glossary): evidence of the language.
    func recognizedWordCount(_ text: String) -> Int {
        TextNormalizer.words(text, language: language).filter {
            vocabulary[$0] != nil || stopWords.contains($0) || glossaryWords.contains($0)
        }.count
    }

    /// One unit of the question that should be explained: a content word, with the terms it may stand for.
    struct QueryUnit {
        var terms: [String: Double]  // term -> weight in [0, 1]
    }

    /// The question's units: content words with their stems, fuzzy neighbours and mishearing meanings.
    func analyze(_ question: String) -> (units: [QueryUnit], concepts: Set<String>) {
        let stem = { (word: String) in Stemmer.stem(word, language: self.language) }
        let words = TextNormalizer.words(question, language: language)
        var units: [QueryUnit] = []
        var claimed = StopWords.framePositions(in: words, language: language)

        // What each span of the question is read as, for finding glossary concepts: a mishearing's meant phrase, the
        // nearest vocabulary word of joined or unknown words, else the word's own stem (`con dense station` names
        // `condensation`, not density and radio).
        var readAs: [Int: (count: Int, stems: [String])] = [:]
        var nearest: [Int: String] = [:]

        // Glossary mishearings first: the meant phrase stands for the heard words (`gravy tea` -> `gravity`).
        for mishearing in mishearings where !mishearing.heard.isEmpty && mishearing.heard.count <= words.count {
            for start in 0...(words.count - mishearing.heard.count) {
                let span = Set(start..<(start + mishearing.heard.count))
                guard span.isDisjoint(with: claimed),
                    words[start..<(start + mishearing.heard.count)].elementsEqual(mishearing.heard)
                else { continue }
                claimed.formUnion(span)
                readAs[start] = (mishearing.heard.count, mishearing.meant.map(stem))
                var terms: [String: Double] = [:]
                for word in mishearing.meant where !stopWords.contains(word) {
                    terms[stem(word)] = options.mishearingWeight
                }
                if !terms.isEmpty { units.append(QueryUnit(terms: terms)) }
            }
        }

        // Adjacent words run together (`bat tree` -> `battree`): a recognizer splits a long word it does not know
        // into short ones it does.
        for span in [3, 2] where words.count >= span {
            for start in 0...(words.count - span) {
                let positions = Set(start..<(start + span))
                guard positions.isDisjoint(with: claimed) else { continue }
                let pieces = Array(words[start..<(start + span)])
                // Only when some piece is an unknown word (neither the curriculum's nor a stop word).
                guard pieces.contains(where: { vocabulary[$0] == nil && !stopWords.contains($0) }) else { continue }
                let joined = pieces.joined()
                if let known = vocabulary[joined] {
                    units.append(QueryUnit(terms: [known: 1]))
                    claimed.formUnion(positions)
                    readAs[start] = (span, [known])
                    continue
                }
                guard joined.utf8.count >= 6 else { continue }
                var neighbours = nearestVocabularyWords(to: joined, minimum: max(0.8, options.fuzzyMinimumSimilarity))
                if neighbours.isEmpty { neighbours = soundAlikeWords(to: joined) }
                guard let first = neighbours.first, first.word.utf8.count >= 5 else { continue }
                var terms: [String: Double] = [:]
                for neighbour in neighbours { terms[vocabulary[neighbour.word]!] = neighbour.similarity }
                units.append(QueryUnit(terms: terms))
                claimed.formUnion(positions)
                readAs[start] = (span, [vocabulary[first.word]!])
            }
        }

        for (position, word) in words.enumerated() where !stopWords.contains(word) && !claimed.contains(position) {
            let stemmed = stem(word)
            if vocabulary[word] != nil {
                units.append(QueryUnit(terms: [stemmed: 1]))
                continue
            }
            if documentFrequency[stemmed] != nil {
                // A form the curriculum never writes, of a stem it does, may be a near miss of another word
                // (`lighting` for `lightning`): close neighbours stand beside the stem.
                var terms = [stemmed: 1.0]
                if options.stemNeighbourMinimumSimilarity <= 1, word.count >= options.fuzzyMinimumLetters {
                    for neighbour in nearestVocabularyWords(to: word, minimum: options.stemNeighbourMinimumSimilarity) {
                        let term = vocabulary[neighbour.word]!
                        if term != stemmed { terms[term] = max(terms[term] ?? 0, neighbour.similarity) }
                    }
                }
                units.append(QueryUnit(terms: terms))
                continue
            }
            var terms: [String: Double] = [:]
            if word.count >= options.fuzzyMinimumLetters {
                let neighbours = nearestVocabularyWords(to: word, minimum: options.fuzzyMinimumSimilarity)
                for neighbour in neighbours {
                    let term = vocabulary[neighbour.word]!
                    terms[term] = max(terms[term] ?? 0, neighbour.similarity)
                }
                // A weak neighbour (`wear` -> `hear`, `type` -> `tyre`) may count as a word, not name a concept.
                if let first = neighbours.first, first.similarity >= 0.8 {
                    nearest[position] = vocabulary[first.word]!
                }
            }
            units.append(QueryUnit(terms: terms))
        }

        // An unknown word may still be a glossary word (`seat` of `seat belt`): concepts are looked for with unknown
        // words as written and as their nearest vocabulary word.
        var read: [String] = []
        var readNearest: [String] = []
        var position = 0
        while position < words.count {
            if let span = readAs[position] {
                read += span.stems
                readNearest += span.stems
                position += span.count
            } else {
                read.append(stem(words[position]))
                readNearest.append(nearest[position] ?? stem(words[position]))
                position += 1
            }
        }
        let concepts = Self.conceptTags(in: read, concepts: self.concepts)
            .union(Self.conceptTags(in: readNearest, concepts: self.concepts))
        return (units, concepts)
    }

    /// Vocabulary words of about the same length with the same consonant skeleton as a run of joined words, even one of
    /// 3 consonants (`lay sir` -> `laysir` -> `laser`), at `joinedSkeletonSimilarity`; alone, such short skeletons
    /// match too many words, but a run holding an unknown word is itself evidence of a split word.
    func soundAlikeWords(to joined: String) -> [(word: String, similarity: Double)] {
        let prepared = FuzzyMatch.Word(joined)
        // Three consonants at least: a leading vowel is kept in the skeleton but says little.
        let consonants = prepared.skeleton.filter { !"aeiou".utf8.contains($0) }.count
        // English only: Swahili words are long runs of open syllables whose few consonants collide (`meli inae lea`
        // came out as `milioni`), and its question forms are scored against the audio anyway.
        guard language == "en", consonants >= 3, options.joinedSkeletonSimilarity <= 1 else { return [] }
        let length = prepared.bytes.count
        var found: [(word: String, similarity: Double)] = []
        for candidateLength in max(5, length - 1)...(length + 1) {
            for candidate in vocabularyByLength[candidateLength] ?? [] where candidate.skeleton == prepared.skeleton {
                found.append((candidate.text, options.joinedSkeletonSimilarity))
            }
        }
        return Array(found.sorted { $0.word < $1.word }.prefix(3))
    }

    /// Vocabulary words at least `minimum` similar to `word`, best first (at most 3).
    func nearestVocabularyWords(to word: String, minimum: Double) -> [(word: String, similarity: Double)] {
        let prepared = FuzzyMatch.Word(word)
        let length = prepared.bytes.count
        var found: [(word: String, similarity: Double)] = []
        for candidateLength in max(1, length - 3)...(length + 3) {
            for candidate in vocabularyByLength[candidateLength] ?? [] {
                let similarity = FuzzyMatch.similarity(prepared, candidate, minimum: minimum)
                if similarity >= minimum { found.append((candidate.text, similarity)) }
            }
        }
        found.sort { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.word < $1.word }
        return Array(found.prefix(3))
    }

    /// Every topic that matches some word of the question, best first, with scores and confidences.
    func rank(_ question: String) -> [RetrievedTopic] {
        let (units, concepts) = analyze(question)
        var queryWeights: [String: Double] = [:]
        for unit in units {
            for (term, weight) in unit.terms { queryWeights[term] = max(queryWeights[term] ?? 0, weight) }
        }
        for concept in concepts { queryWeights[concept] = max(queryWeights[concept] ?? 0, options.conceptWeight) }

        // Confidence: the share of the question a topic explains. Each unit (word, joined words, mishearing)
        // counts with the IDF of its best term (an unknown word with `unknownWordIDFShare` of the rarest word's),
        // and is explained in proportion to min(1, tf / askWeight): fully when its term is in an ask line or more
        // than once, a third when it is only in the answer.
        // Concepts rank topics but do not count here: their words are units already.
        let coverageUnits = units.map(\.terms)
        let unitWeights = coverageUnits.map { terms in
            let best = terms.map { idf($0.key) * $0.value }.max() ?? 0
            return best > 0 ? best : options.unknownWordIDFShare * maximumIDF
        }
        let total = unitWeights.reduce(0, +)
        guard total > 0 else { return [] }

        let k1 = options.k1
        var ranked: [RetrievedTopic] = []
        for (document, counts) in frequencies.enumerated() {
            let norm = k1 * (1 - options.b + options.b * lengths[document] / averageLength)
            var score = 0.0
            for (term, weight) in queryWeights {
                guard let tf = counts[term] else { continue }
                score += weight * idf(term) * tf * (k1 + 1) / (tf + norm)
            }
            guard score > 0 else { continue }
            var covered = 0.0
            for (terms, unitWeight) in zip(coverageUnits, unitWeights) {
                let explained = terms.map { term, weight in weight * min(1, (counts[term] ?? 0) / options.askWeight) }
                covered += unitWeight * (explained.max() ?? 0)
            }
            ranked.append(RetrievedTopic(id: ids[document], score: score, confidence: min(1, covered / total)))
        }
        ranked.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        return ranked
    }
}

extension RetrievalOptions {
    func weight(of kind: TopicDocument.FieldKind) -> Double {
        switch kind {
        case .ask: return askWeight
        case .misheard: return misheardWeight
        case .title: return titleWeight
        case .term: return termWeight
        case .answer: return answerWeight
        case .followUp: return followUpWeight
        }
    }
}
