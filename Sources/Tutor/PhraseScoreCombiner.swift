import Foundation
import TutorCore

/// Settings for combining text retrieval with the recognizer's scores of the curriculum's question forms.
public struct PhraseCombinationOptions: Sendable, Equatable {
    /// How many text-ranked topics have their question forms scored (every topic when text found none).
    public var topicCount = 5
    /// Weight of the text side (the topic's share of the text scores of the candidates).
    public var textWeight = 0.5
    /// Weight of the acoustic side (the topic's posterior from the per-word log probabilities).
    public var acousticWeight = 0.5
    /// When the text retrieval is not confident (a garbled transcript), first score one question form of every
    /// topic and let the acoustically best `topicCount` topics join the text's candidates.
    public var preselectWhenUnsure = true

    /// Creates the defaults: equal weights over the top 5 topics.
    public init() {}

    /// The defaults.
    public static let `default` = PhraseCombinationOptions()
}

/// Re-ranks retrieved topics with a `PhraseScoring` recognizer: how well each topic's `ask:` and `misheard:` lines
/// explain the utterance's audio.
///
/// For each candidate topic the best line's log probability per word is its acoustic score (per word, so long lines
/// are not punished for their length); a softmax over candidates turns those into an acoustic posterior. The text
/// side is each candidate's BM25F score divided by the candidates' sum. The combined score is
/// `textWeight * text + acousticWeight * acoustic`; the combined confidence is the same mix of the text confidence
/// and the acoustic posterior, so a clear acoustic match can lift a garbled transcript over the threshold. The
/// posterior is relative to the candidates, so an off-topic utterance whose best candidate is merely the least bad
/// gains confidence too: the spoken evaluation must re-check the threshold once a real recognizer scores phrases.
public struct PhraseScoreCombiner {
    /// The curriculum whose question forms are scored.
    public let curriculum: Curriculum
    /// The options.
    public let options: PhraseCombinationOptions

    /// Creates a combiner over a curriculum.
    public init(curriculum: Curriculum, options: PhraseCombinationOptions = .default) {
        self.curriculum = curriculum
        self.options = options
    }

    /// The text result re-ranked with the scorer's log probabilities of the candidates' question forms.
    public func combine(_ text: RetrievalResult, scorer: PhraseScoring) throws -> RetrievalResult {
        let language = text.language
        var candidates = Array(text.topics.prefix(options.topicCount))
        if candidates.isEmpty {
            candidates = curriculum.topics(in: language).map { RetrievedTopic(id: $0.id, score: 0, confidence: 0) }
        } else if options.preselectWhenUnsure && !text.isConfident {
            // The transcript may have missed the topic entirely: one line per topic is a cheap first pass.
            let topics = curriculum.topics(in: language).filter { !$0.asks.isEmpty }
            let firstLines = try scorer.logProbabilities(of: topics.map { $0.asks[0] }, language: language)
            if firstLines.count == topics.count {
                let perWord = zip(topics, firstLines).map { topic, logProbability in
                    (
                        topic.id,
                        logProbability / Double(max(1, TextNormalizer.words(topic.asks[0], language: language).count))
                    )
                }
                for (id, _) in perWord.sorted(by: { $0.1 > $1.1 }).prefix(options.topicCount)
                where !candidates.contains(where: { $0.id == id }) {
                    candidates.append(
                        text.topics.first { $0.id == id } ?? RetrievedTopic(id: id, score: 0, confidence: 0))
                }
            }
        }
        var phrases: [String] = []
        var owners: [Int] = []
        for (index, candidate) in candidates.enumerated() {
            guard let topic = curriculum.topic(candidate.id, language: language) else { continue }
            for line in topic.asks + topic.misheard {
                phrases.append(line)
                owners.append(index)
            }
        }
        guard !phrases.isEmpty else { return text }
        let logProbabilities = try scorer.logProbabilities(of: phrases, language: language)
        guard logProbabilities.count == phrases.count else { return text }

        var best = [Double](repeating: -.infinity, count: candidates.count)
        for (phrase, (owner, logProbability)) in zip(phrases, zip(owners, logProbabilities)) {
            let words = max(1, TextNormalizer.words(phrase, language: language).count)
            best[owner] = max(best[owner], logProbability / Double(words))
        }
        let top = best.max() ?? 0
        let exponentials = best.map { $0 == -.infinity ? 0 : exp($0 - top) }
        let exponentialSum = exponentials.reduce(0, +)
        let textSum = candidates.map(\.score).reduce(0, +)

        var combined: [RetrievedTopic] = []
        for (index, candidate) in candidates.enumerated() {
            let acoustic = exponentialSum > 0 ? exponentials[index] / exponentialSum : 0
            let textShare = textSum > 0 ? candidate.score / textSum : 0
            combined.append(
                RetrievedTopic(
                    id: candidate.id,
                    score: options.textWeight * textShare + options.acousticWeight * acoustic,
                    confidence: min(1, options.textWeight * candidate.confidence + options.acousticWeight * acoustic)))
        }
        combined.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        return RetrievalResult(language: language, topics: combined, threshold: text.threshold)
    }
}
