import Audio
import Foundation
import Logging
import Synthesis
import TutorCore

/// How answers are spoken.
public struct SpeakingOptions: Sendable, Equatable {
    /// A voice in Voices/ (`kind`, `deep`).
    public var voice = "kind"
    /// Speaking rate: 1 is normal, 0.8 slower for young children.
    public var rate = 1.0
    /// Gain on the answer audio, 0 to 1.
    public var volume: Float = 1
    /// The synthesizer's rate, Hz.
    public var sampleRateHz = 22_050
    /// Sentences written but not yet spoken that the writer may run ahead by; beyond it the writer waits.
    public var sentenceQueueCapacity = 4

    /// The defaults above.
    public init() {}
}

/// The back half of the streaming graph: question -> answer writer -> sentences -> synthesis -> speaker.
///
///     let graph = AnsweringGraph(answerer: answerer, output: RecordingOutput())
///     let job = graph.submit(.text("why is the sky blue"))
///     job.commit(speechEnd: Date())
///     _ = job.waitUntilDone(timeoutSeconds: 60)
///
/// Two threads: the writer (recognizer, retrieval, language model; one question at a time) and the speaker
/// (synthesis chunk by chunk, then the output). Between them a queue of at most `sentenceQueueCapacity` sentences:
/// the writer waits when it is full, nothing is dropped unless the answer is cancelled. The speaker starts on the
/// first complete sentence but holds its audio until the job is committed. Thread safety: `submit`, `cancel` and
/// `stop` from any thread.
public final class AnsweringGraph: @unchecked Sendable {
    /// Understands and writes answers; used only on the writer thread.
    public let answerer: QuestionAnswerer
    /// Where answers are heard.
    public let output: any AnswerAudioOutput
    /// What has been handed to the output and when, for barge-in's echo check.
    public let reference = PlaybackReference()
    /// The speaking options, fixed at creation.
    public let speaking: SpeakingOptions

    private enum Item {
        case sentence(AnswerJob, String, language: String)
        case lesson(AnswerJob, URL)
        case end(AnswerJob)
    }

    private let jobs = BoundedQueue<AnswerJob>(capacity: 4)
    private let sentences: BoundedQueue<Item>
    private let logger = Logger(label: "pipeline.graph")
    private let synthesizers = NSLock()
    private var synthesizerCache: [String: SpeechSynthesizer] = [:]  // guarded by `synthesizers`
    private var nextID = 1  // guarded by `synthesizers` too: both are rare
    private var threads: [Thread] = []
    private let resources: SynthesisResources
    private let stopped = DispatchGroup()

    /// Starts the writer and speaker threads; voices and lexicons are read from `resources`.
    public init(
        answerer: QuestionAnswerer, output: any AnswerAudioOutput, speaking: SpeakingOptions = SpeakingOptions(),
        resources: SynthesisResources = SynthesisResources()
    ) {
        self.resources = resources
        self.answerer = answerer
        self.output = output
        self.speaking = speaking
        sentences = BoundedQueue(capacity: speaking.sentenceQueueCapacity)
        for (name, body) in [("answer writer", writeLoop), ("answer speaker", speakLoop)] {
            stopped.enter()
            let thread = Thread { [stopped] in
                body()
                stopped.leave()
            }
            thread.name = name
            thread.qualityOfService = .userInitiated
            threads.append(thread)
            thread.start()
        }
    }

    /// Loads the voice for `language` now, so the first answer does not wait for its lexicon.
    public func prepareVoice(language: String) throws { _ = try synthesizer(language: language) }

    /// Starts answering `question`; nothing is heard until the job is committed.
    public func submit(_ question: Question, preemptive: Bool = false) -> AnswerJob {
        let id = synthesizers.withLock {
            defer { nextID += 1 }
            return nextID
        }
        let job = AnswerJob(id: id, question: question, preemptive: preemptive)
        jobs.push(job)
        return job
    }

    /// Barge-in or discarded preemptive work: stops writing, drops its queued sentences, silences the speaker.
    public func cancel(_ job: AnswerJob) {
        job.cancel()
        let flushed = sentences.flush { item in
            switch item {
            case .sentence(let owner, _, _), .lesson(let owner, _): owner === job
            case .end: false
            }
        }
        job.updateTimings { $0.sentencesFlushed += flushed.count }
        if job.firstAnswerSampleTime != nil {
            output.flush()
            reference.clear()
        }
    }

    /// Plays an earcon or a prompt (not an answer: no job, no headline), noted in the echo reference.
    public func playCue(_ audio: MonoAudio) {
        var audio = audio
        if speaking.volume != 1 { audio.samples = audio.samples.map { $0 * speaking.volume } }
        reference.record(audio)
        output.play(audio)
    }

    /// `text` spoken in `language` with the answer voice, for prompts.
    public func spoken(_ text: String, language: String) throws -> MonoAudio {
        try synthesizer(language: language).synthesize(text)
    }

    /// Ends both threads after the work in hand; cancels nothing.
    public func stop() {
        jobs.close()
        _ = stopped.wait(timeout: .now() + 120)
    }

    private func writeLoop() {
        while true {
            guard let job = jobs.pop(waitingUpTo: 0.5) else {
                if jobs.isClosedAndEmpty { break }
                continue
            }
            if job.isCancelled {
                job.finishWriting(nil, error: nil)
                sentences.push(.end(job))
                continue
            }
            var timings = PipelineTimings()
            do {
                let written = try answerer.answer(job.question, cancellation: job.cancellation, timings: &timings) {
                    sentence, language in
                    guard !job.isCancelled else { return false }
                    return sentences.push(.sentence(job, sentence, language: language))
                }
                job.updateTimings { $0.merge(writing: timings) }
                job.finishWriting(written, error: nil)
                if let audio = written.lessonAudio, !job.isCancelled { sentences.push(.lesson(job, audio)) }
            } catch {
                logger.error("question \(job.id): \(error)")
                job.updateTimings { $0.merge(writing: timings) }
                job.finishWriting(nil, error: error)
            }
            sentences.push(.end(job))
        }
        sentences.close()
    }

    private func speakLoop() {
        let clock = ContinuousClock()
        var started: Set<Int> = []
        while true {
            guard let item = sentences.pop(waitingUpTo: 0.5) else {
                if sentences.isClosedAndEmpty { break }
                continue
            }
            switch item {
            case .end(let job):
                if job.isCommitted || !job.isCancelled, job.waitUntilCommitted() {
                    while !job.isCancelled && !output.waitUntilPlayed(timeoutSeconds: 0.05) {}
                }
                if job.isCancelled { output.flush() }
                started.remove(job.id)
                job.finishSpeaking()
            case .lesson(let job, let file):
                playLesson(file, for: job)
            case .sentence(let job, let text, let language):
                guard !job.isCancelled else {
                    job.updateTimings { $0.sentencesFlushed += 1 }
                    continue
                }
                let synthesizeStart = clock.now
                var synthesizeTime = Duration.zero
                var seconds = 0.0
                do {
                    var stream = try synthesizer(language: language).stream(text)
                    var chunkStart = clock.now
                    while let chunk = stream.next() {
                        synthesizeTime += clock.now - chunkStart
                        if started.insert(job.id).inserted {
                            let first = (clock.now - synthesizeStart).milliseconds
                            job.updateTimings { $0.synthesizeFirstChunkMilliseconds = first }
                        }
                        guard job.waitUntilCommitted() else { break }
                        seconds += send(chunk, for: job)
                        if job.isCancelled { break }
                        chunkStart = clock.now
                    }
                } catch {
                    logger.error("cannot speak '\(text)' in \(language): \(error)")
                }
                if job.isCancelled { output.flush() }
                let milliseconds = synthesizeTime.milliseconds
                job.updateTimings {
                    $0.synthesizeMilliseconds += milliseconds
                    $0.answerAudioSeconds += seconds
                }
            }
        }
    }

    /// Plays one chunk of the answer (or lesson) at the configured volume, remembered as the echo reference;
    /// returns its seconds.
    private func send(_ chunk: MonoAudio, for job: AnswerJob) -> Double {
        var audio = chunk
        if speaking.volume != 1 {
            for index in audio.samples.indices { audio.samples[index] *= speaking.volume }
        }
        job.markFirstAnswerSample()
        reference.record(audio)
        output.play(audio)
        return audio.durationSeconds
    }

    /// Streams a lesson file to the output as an answer is (the echo reference, barge-in and flushing alike).
    private func playLesson(_ file: URL, for job: AnswerJob) {
        guard !job.isCancelled, job.waitUntilCommitted() else { return }
        logger.info("question \(job.id): playing the lesson \(file.path)")
        var seconds = 0.0
        do {
            // A quarter of a second at 16 kHz: the speaker's queue, not the chunk, bounds how late a stop is.
            try SoundFile.forEachMonoChunk(file, chunkFrames: 4_096) { chunk in
                guard !job.isCancelled else { return false }
                seconds += send(chunk, for: job)
                return !job.isCancelled
            }
        } catch {
            logger.error("question \(job.id): cannot play the lesson: \(error)")
        }
        if job.isCancelled { output.flush() }
        job.updateTimings { $0.answerAudioSeconds += seconds }
    }

    private func synthesizer(language: String) throws -> SpeechSynthesizer {
        if let ready = synthesizers.withLock({ synthesizerCache[language] }) { return ready }
        var options = SpeechOptions.default
        options.sampleRateHz = speaking.sampleRateHz
        options.prosody.rate = speaking.rate
        let loaded = try SpeechSynthesizer(
            language: Language(code: language), voiceName: speaking.voice, options: options, resources: resources)
        synthesizers.withLock { synthesizerCache[language] = loaded }
        return loaded
    }
}

extension PipelineTimings {
    /// Takes the writer's figures, keeping the speaker's and the counters.
    mutating func merge(writing: PipelineTimings) {
        recognizeMilliseconds = writing.recognizeMilliseconds
        retrieveMilliseconds = writing.retrieveMilliseconds
        firstSentenceMilliseconds = writing.firstSentenceMilliseconds
        writeMilliseconds = writing.writeMilliseconds
        modelFirstTokenMilliseconds = writing.modelFirstTokenMilliseconds
        modelTokensPerSecond = writing.modelTokensPerSecond
        questionAudioSeconds = writing.questionAudioSeconds
        modelFailures += writing.modelFailures
    }
}
