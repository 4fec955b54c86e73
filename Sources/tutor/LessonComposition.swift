// Lessons meet the stages here: the formant voice speaks scripts, the VAD and Whisper transcribe recordings, the
// Tutor's retrieval indexes them by topic. Lessons itself imports none of them.
import Audio
import Foundation
import Lessons
import Recognition
import Synthesis
import Tutor
import TutorCore

/// The formant voice as a lesson renderer sees it: one synthesizer per style over one loaded lexicon.
struct LessonVoice: LessonSpeaking {
    /// Rate factors and pitch ranges per style, on top of the teacher's `--rate`.
    static let styleRates: [LessonSpeechStyle: Double] = [
        .plain: 1, .heading: 0.9, .emphasis: 0.85, .slow: 0.75, .question: 1,
    ]
    /// Emphasis widens the voice's pitch range by this factor.
    static let emphasisPitchRange = 1.6

    let synthesizers: [LessonSpeechStyle: SpeechSynthesizer]
    let language: Language
    let sampleRateHz: Int
    /// Words the lexicon could not say, for the report.
    private(set) var skippedWords: [String] = []

    init(base: SpeechSynthesizer) throws {
        var synthesizers: [LessonSpeechStyle: SpeechSynthesizer] = [:]
        for style in LessonSpeechStyle.allCases {
            var options = base.options
            options.prosody.rate = min(3, max(0.3, base.options.prosody.rate * (Self.styleRates[style] ?? 1)))
            var voice = base.voice
            if style == .emphasis { voice.pitchRange *= Self.emphasisPitchRange }
            synthesizers[style] = try SpeechSynthesizer(
                pronouncer: base.pronouncer, voice: voice, targets: base.targets, options: options)
        }
        self.synthesizers = synthesizers
        self.language = base.language
        self.sampleRateHz = base.options.sampleRateHz
    }

    mutating func speak(_ text: String, style: LessonSpeechStyle, emit: ([Float]) throws -> Void) throws {
        guard let synthesizer = synthesizers[style] else { return }
        // Sentence by sentence, so a long paragraph never holds more than one sentence's frames.
        var splitter = SentenceSplitter(language: language)
        var sentences: [String] = []
        try splitter.process(text, into: &sentences)
        try splitter.flush(into: &sentences)
        for sentence in sentences {
            let stream: SpeechStream
            do {
                stream = try synthesizer.stream(sentence)
            } catch SynthesisError.nothingToSay {
                skippedWords.append(sentence)
                continue
            }
            skippedWords += stream.utterance.skippedWords
            for chunk in stream { try emit(chunk.samples) }
        }
    }
}

/// What transcription found in a lesson's audio.
struct LessonSpeech {
    /// The first and last sample worth keeping (speech with a little margin), or nil when nothing was said.
    var keptRange: Range<Int>?
    /// Segments with times from the start of `keptRange`.
    var transcript: LessonTranscript
}

/// Finds the speech in a lesson (Silero VAD and the endpointer), transcribes each utterance with its offset
/// (Whisper: tiny.en for English, base otherwise) and ranks the curriculum topics of the whole transcript.
struct LessonTranscriber {
    /// Silence kept before the first word and after the last, seconds, so trimming never clips a breath.
    static let marginSeconds = 0.4
    /// Topics scoring below this share of the best one are not indexed.
    static let topicScoreShare = 0.5
    /// At most this many topics are indexed per lesson.
    static let maximumTopics = 3

    let recognizer: WhisperRecognizer?
    let vadWeights: SileroVADWeights
    let language: String

    /// Loads the VAD and, unless `transcribe` is false, the recognizer for `language`.
    init(language: String, transcribe: Bool = true) throws {
        self.language = language
        do {
            vadWeights = try SileroVADWeights.load()
        } catch {
            throw UserFacingError("\(error)")
        }
        guard transcribe else {
            recognizer = nil
            return
        }
        let path = try TranscribeCommand.modelPath(language == "en" ? "tiny.en" : "base", cache: nil)
        do {
            recognizer = try WhisperRecognizer(model: WhisperModel(path: path))
        } catch {
            throw UserFacingError("\(error)")
        }
    }

    /// The utterances of 16 kHz mono audio, each up to the endpointer's 20 s (within Whisper's 30 s window).
    func utterances(_ audio: MonoAudio) -> [Audio.Utterance] {
        var endpointer = Endpointer(detector: SileroVAD(weights: vadWeights))
        var events: [EndpointEvent] = []
        endpointer.process(audio.samples, into: &events)
        endpointer.flush(into: &events)
        return events.compactMap { event in
            if case .utteranceEnded(let utterance) = event { return utterance }
            return nil
        }
    }

    /// Finds, and unless built without a recognizer transcribes, the speech in `audio` (16 kHz mono).
    func analyse(_ audio: MonoAudio) throws -> LessonSpeech {
        let found = utterances(audio)
        guard let first = found.first, let last = found.last else {
            return LessonSpeech(keptRange: nil, transcript: LessonTranscript(segments: []))
        }
        let margin = Int(Self.marginSeconds * Double(audio.sampleRateHz))
        let start = max(0, min(first.audioStartSampleIndex, first.startSampleIndex - margin))
        let end = min(audio.samples.count, last.endSampleIndex + 1 + margin)
        var segments: [LessonTranscript.Segment] = []
        let rate = Double(audio.sampleRateHz)
        for utterance in found {
            var text = ""
            if let recognizer {
                do {
                    text = try recognizer.transcribe(
                        utterance.audio.samples, options: Self.transcriptionOptions(language)
                    )
                    .text.trimmingCharacters(in: .whitespaces)
                } catch {
                    throw UserFacingError("\(error)")
                }
            }
            segments.append(
                LessonTranscript.Segment(
                    startSeconds: Double(utterance.startSampleIndex - start) / rate,
                    endSeconds: Double(utterance.endSampleIndex + 1 - start) / rate, text: text))
        }
        return LessonSpeech(keptRange: start..<end, transcript: LessonTranscript(segments: segments))
    }

    /// Whisper's settings for lesson utterances. Silence after the utterance lets Whisper finish its last
    /// sentence (without it, short utterances often lose their ends); the temperature fallback recovers from
    /// greedy decoding's loops. Beam search (5) was measured too: on Lessons/magnets-en.md it heard fewer content
    /// words (0.806 against 0.839) in twice the time, so decoding stays greedy.
    static func transcriptionOptions(_ language: String) -> TranscriptionOptions {
        var options = TranscriptionOptions(language: language)
        options.appendedSilenceMilliseconds = 1_000
        options.temperatures = TranscriptionOptions.whisperTemperatures
        return options
    }

    /// The curriculum topics a text is about, most central first.
    static func topics(of text: String, language: String, ranking: any TopicRanking) -> [String] {
        let ranked = ranking.rankTopics(text, language: language).topics
        guard let best = ranked.first?.score, best > 0 else { return [] }
        return Array(ranked.filter { $0.score >= best * topicScoreShare }.prefix(maximumTopics).map(\.id))
    }
}

/// Turning a lesson's raw audio into a ready lesson: trim, transcribe, index, save.
enum LessonFinishing {
    /// Trims silence at both ends of the lesson's audio (rewriting the file atomically), writes the transcript
    /// sidecar, indexes topics and marks the lesson ready in the manifest. Returns the finished lesson.
    static func finish(_ title: LessonTitle, library: LessonLibrary, report: (String) -> Void) throws -> Lesson {
        var manifest = try library.loadManifest()
        var lesson = try library.lesson(titled: title, in: manifest)
        let audioURL = library.url(of: lesson.audioFile)
        let audio: MonoAudio
        do {
            audio = try SoundFile.readSpeech(audioURL)
        } catch {
            throw UserFacingError("\(error)")
        }
        report(String(format: "transcribing %.1f s of \"%@\" (%@)", audio.durationSeconds, title.text, lesson.language))
        let speech = try LessonTranscriber(language: lesson.language).analyse(audio)
        var kept = audio
        if let range = speech.keptRange, range != 0..<audio.samples.count {
            kept = MonoAudio(samples: Array(audio.samples[range]), sampleRateHz: audio.sampleRateHz)
            // Written beside the original and renamed over it: a crash leaves one whole file, never half of one.
            let trimmedURL = audioURL.deletingPathExtension().appendingPathExtension("trimmed.flac")
            do {
                try SoundFile.write(kept, to: trimmedURL)
            } catch {
                try? FileManager.default.removeItem(at: trimmedURL)
                throw UserFacingError("\(error) (the untrimmed recording is kept in \(audioURL.path))")
            }
            guard rename(trimmedURL.path, audioURL.path) == 0 else {
                throw UserFacingError(
                    "\(audioURL.path): cannot replace it with the trimmed audio: \(String(cString: strerror(errno)))")
            }
            report(
                String(
                    format: "trimmed %.2f s of silence at the start and %.2f s at the end",
                    Double(range.lowerBound) / Double(audio.sampleRateHz),
                    Double(audio.samples.count - range.upperBound) / Double(audio.sampleRateHz)))
        } else if speech.keptRange == nil {
            report("no speech found: the recording is kept whole and has no transcript")
        }
        lesson.transcriptFile = lesson.defaultTranscriptFile
        do {
            try library.writeAtomically(speech.transcript.tsv, to: library.url(of: lesson.defaultTranscriptFile))
        } catch {
            throw UserFacingError("\(error)")
        }
        lesson.topics = LessonTranscriber.topics(
            of: speech.transcript.text, language: lesson.language, ranking: try TutorResources.answerer().retriever)
        lesson.seconds = kept.durationSeconds
        lesson.state = .ready
        // Read again: the manifest may have changed while the lesson was being transcribed.
        manifest = try library.loadManifest()
        try manifest.upsert(lesson)
        try library.save(manifest)
        return lesson
    }
}
