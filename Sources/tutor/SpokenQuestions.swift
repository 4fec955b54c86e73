import Audio
import Foundation
import Pipeline
import Recognition
import Tutor
import TutorCore

/// How one question of a set is spoken: an espeak-ng voice, a speaking rate and a noise level.
///
/// Voices, rates and noise levels take turns down the set, so every kind of question meets every voice. The
/// English voices are espeak-ng's American, British and Caribbean English with its female and male variants; the
/// Swahili ones are its `sw` voice and variants. Pink noise is mixed in at 25, 20 or 15 dB below the speech: a quiet
/// room, a fan, a busy room.
struct SpokenQuestionStyle: Equatable {
    var voice: String
    var wordsPerMinute: Int
    var signalToNoiseDecibels: Int

    static let voices = [
        "en": ["en-us", "en-gb+f2", "en-029", "en-us+m3", "en-gb", "en-us+f3", "en-029+f4", "en-gb+m2"],
        "sw": ["sw", "sw+f3", "sw+m3", "sw+f2", "sw+m2", "sw+f4"],
    ]
    static let wordsPerMinute = [130, 150, 170, 140, 160]
    static let signalToNoiseDecibels = [25, 20, 15]

    /// The style of the `index`-th row (0-based) of a set in `language`.
    static func forRow(_ index: Int, language: String) -> SpokenQuestionStyle {
        let voices = Self.voices[language] ?? [language]
        return SpokenQuestionStyle(
            voice: voices[index % voices.count], wordsPerMinute: wordsPerMinute[index % wordsPerMinute.count],
            signalToNoiseDecibels: signalToNoiseDecibels[index % signalToNoiseDecibels.count])
    }

    /// `en-gb-f2-150-snr20`: the voice, rate and noise, for file names.
    var tag: String {
        "\(voice.replacingOccurrences(of: "+", with: "-"))-\(wordsPerMinute)-snr\(signalToNoiseDecibels)"
    }
}

/// Speaks a question set with espeak-ng and mixes noise in, keeping each clip in the cache to listen to and reuse.
///
/// Each clip: espeak-ng's speech resampled to 16 kHz mono, peak-normalized to -3 dBFS, 0.3 s of silence before and
/// 0.5 s after (the endpointer's view of a question), then pink noise over the whole clip (`NoiseMixer`, seeded by
/// the row, so a clip is the same on every machine). Clips are FLAC files in
/// `<cache>/spoken-questions/<set>/<lang>/`, named by line, style and a hash of the text, so an edited question gets
/// a new clip.
struct SpokenQuestionSpeaker {
    let folder: URL

    init(set: String, language: String) {
        folder = TutorPaths.cacheDirectory().appendingPathComponent("spoken-questions/\(set)/\(language)")
    }

    /// The clip of one question, made now unless the cache has it.
    func clip(for row: EvaluationQuestion, index: Int, language: String) throws -> (URL, SpokenQuestionStyle) {
        let style = SpokenQuestionStyle.forRow(index, language: language)
        let line = row.source.split(separator: ":").last.map(String.init) ?? "\(index + 1)"
        let file = folder.appendingPathComponent("\(line)-\(style.tag)-\(Self.hash(row.question)).flac")
        if FileManager.default.fileExists(atPath: file.path) { return (file, style) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let raw = folder.appendingPathComponent(".espeak-\(ProcessInfo.processInfo.processIdentifier).wav")
        defer { try? FileManager.default.removeItem(at: raw) }
        let result = try ProcessRunner.run([
            "espeak-ng", "-v", style.voice, "-s", "\(style.wordsPerMinute)", "-w", raw.path, row.question,
        ])
        guard result.status == 0 else {
            throw UserFacingError(
                "\(row.source): espeak-ng -v \(style.voice) failed (status \(result.status)): "
                    + "\(result.standardError.trimmingCharacters(in: .whitespacesAndNewlines)) "
                    + "(install it with apt-get install espeak-ng, or run Scripts/setup)")
        }
        var speech = try SoundFile.readSpeech(raw)
        let peak = speech.samples.map(abs).max() ?? 0
        guard peak > 0 else { throw UserFacingError("\(row.source): espeak-ng wrote silence for '\(row.question)'") }
        let gain = Float(pow(10, -3.0 / 20)) / peak
        let rate = speech.sampleRateHz
        speech.samples =
            [Float](repeating: 0, count: rate * 3 / 10) + speech.samples.map { $0 * gain }
            + [Float](repeating: 0, count: rate / 2)
        let noisy = NoiseMixer(seed: UInt64(index + 1)).mix(
            speech, signalToNoiseDecibels: Double(style.signalToNoiseDecibels))
        try SoundFile.write(noisy, to: file)
        return (file, style)
    }

    /// FNV-1a of the text, 8 hex digits: enough to tell edited questions apart.
    static func hash(_ text: String) -> String {
        var value: UInt32 = 2_166_136_261
        for byte in text.utf8 { value = (value ^ UInt32(byte)) &* 16_777_619 }
        return String(format: "%08x", value)
    }
}

/// Topic accuracy of spoken questions: from the free transcript alone, and combined with the recognizer's scores
/// of the curriculum's question forms (`PhraseScoreCombiner`).
struct SpokenEvaluationReport: Codable {
    /// One spoken question the tutor got wrong (by transcript, combined, or both).
    struct Miss: Codable {
        var source: String
        var style: String
        var question: String
        var transcript: String
        var expected: String
        var transcriptTopic: String
        var combinedTopic: String
    }

    var language: String
    var recognizer: String
    var clipFolder: String
    var questions = 0
    var topicQuestions = 0
    var transcriptTop1Correct = 0
    var combinedTop1Correct = 0
    /// Topic rows answered (confident) from the right topic.
    var transcriptAnsweredCorrectly = 0
    var combinedAnsweredCorrectly = 0
    var offTopicQuestions = 0
    var transcriptOffTopicRefused = 0
    var combinedOffTopicRefused = 0
    var audioSeconds = 0.0
    var recognizeMilliseconds = 0.0
    var scoreMilliseconds = 0.0
    var misses: [Miss] = []

    var transcriptTop1Accuracy: Double { rate(transcriptTop1Correct, topicQuestions) }
    var combinedTop1Accuracy: Double { rate(combinedTop1Correct, topicQuestions) }

    func rate(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
}

/// Runs one language's question set as speech: speak, recognize, retrieve from the transcript, combine with scores.
struct SpokenEvaluator {
    let answerer: TutorAnswerer
    let set: String

    /// Whisper tiny.en for English (as `tutor ask --lang en`), base for every other language.
    static func recognizerName(for language: String) -> String { language == "en" ? "tiny.en" : "base" }

    func evaluate(
        _ rows: [EvaluationQuestion], language: String, progress: (String) -> Void
    ) throws -> SpokenEvaluationReport {
        let name = Self.recognizerName(for: language)
        let recognizer: WhisperRecognizer
        do {
            recognizer = try WhisperRecognizer(
                model: WhisperModel(path: TranscribeCommand.modelPath(name, cache: nil)))
        } catch let error as UserFacingError {
            throw error
        } catch {
            throw UserFacingError("\(error)")
        }
        let speaker = SpokenQuestionSpeaker(set: set, language: language)
        let combiner = PhraseScoreCombiner(curriculum: answerer.curriculum)
        var report = SpokenEvaluationReport(
            language: language, recognizer: "whisper \(name)", clipFolder: speaker.folder.path)
        for (index, row) in rows.enumerated() {
            let (file, style) = try speaker.clip(for: row, index: index, language: language)
            let audio: MonoAudio
            do {
                audio = try SoundFile.readSpeech(file)
            } catch {
                throw UserFacingError("\(error)")
            }
            var started = Date()
            let transcript: String
            let combined: RetrievalResult
            let text: RetrievalResult
            do {
                transcript = try recognizer.transcribe(audio.samples, options: TranscriptionOptions(language: language))
                    .text.trimmingCharacters(in: .whitespaces)
                report.recognizeMilliseconds += Date().timeIntervalSince(started) * 1000
                text = answerer.retriever.retrieve(transcript, language: language)
                started = Date()
                combined = try combiner.combine(
                    text, scorer: WhisperPhraseScorer(recognizer: recognizer, samples: audio.samples))
                report.scoreMilliseconds += Date().timeIntervalSince(started) * 1000
            } catch {
                throw UserFacingError("\(file.path): \(error)")
            }
            report.questions += 1
            report.audioSeconds += audio.durationSeconds
            let textTopic = text.best?.id
            let combinedTopic = combined.best?.id
            if let expected = row.expectedTopic {
                report.topicQuestions += 1
                if textTopic == expected {
                    report.transcriptTop1Correct += 1
                    if text.isConfident { report.transcriptAnsweredCorrectly += 1 }
                }
                if combinedTopic == expected {
                    report.combinedTop1Correct += 1
                    if combined.isConfident { report.combinedAnsweredCorrectly += 1 }
                }
            } else {
                report.offTopicQuestions += 1
                if !text.isConfident { report.transcriptOffTopicRefused += 1 }
                if !combined.isConfident { report.combinedOffTopicRefused += 1 }
            }
            let expected = row.expectedTopic
            let textWrong = expected == nil ? text.isConfident : textTopic != expected
            let combinedWrong = expected == nil ? combined.isConfident : combinedTopic != expected
            if textWrong || combinedWrong {
                report.misses.append(
                    .init(
                        source: row.source, style: style.tag, question: row.question, transcript: transcript,
                        expected: expected ?? "none", transcriptTopic: textTopic ?? "none",
                        combinedTopic: combinedTopic ?? "none"))
            }
            progress(
                "\(row.source) [\(style.tag)] '\(transcript)' -> \(textTopic ?? "none") / \(combinedTopic ?? "none")")
        }
        return report
    }
}
