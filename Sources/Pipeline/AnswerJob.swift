import Foundation
import LanguageModel

/// One question on its way to a spoken answer: written on one thread, spoken on another, watched by a third.
///
/// Preemptive work starts a job before the question is known to be over; its audio is held back until `commit`,
/// and `cancel` throws it away (the child went on speaking, or barged in). Thread-safe.
public final class AnswerJob: @unchecked Sendable {
    /// Counts jobs in one process, for logs.
    public let id: Int
    /// What was asked.
    public let question: Question
    /// Raised by `cancel`; the writer and the model check it.
    public let cancellation = GenerationCancellation()

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var committed = false
    private var speechEnd: Date?
    private var firstAnswerSample: Date?
    private var writtenAnswer: WrittenAnswer?
    private var failure: Error?
    private var timingsStorage = PipelineTimings()
    private var writing = true
    private var speaking = true

    init(id: Int, question: Question, preemptive: Bool) {
        self.id = id
        self.question = question
        timingsStorage.startedPreemptively = preemptive
    }

    /// Lets the answer be heard; `speechEnd` is when the question's last speech sample was captured.
    public func commit(speechEnd: Date) {
        condition.lock()
        committed = true
        self.speechEnd = speechEnd
        condition.unlock()
        condition.broadcast()
    }

    /// Throws the answer away: writing stops within a token, nothing more is heard.
    public func cancel() {
        cancellation.cancel()
        condition.lock()
        condition.unlock()
        condition.broadcast()
    }

    /// True once `cancel` was called.
    public var isCancelled: Bool { cancellation.isCancelled }

    /// True once committed (and not cancelled).
    public var isCommitted: Bool { locked { committed } && !isCancelled }

    /// True once writing and speaking have both ended (finished or cancelled).
    public var isDone: Bool { locked { !writing && !speaking } }

    /// What was written, once writing ended.
    public var answer: WrittenAnswer? { locked { writtenAnswer } }

    /// Why writing failed, if it did.
    public var error: Error? { locked { failure } }

    /// The figures so far; the headline once the first answer sample was heard.
    public var timings: PipelineTimings {
        locked {
            var timings = timingsStorage
            if let speechEnd, let firstAnswerSample {
                timings.endOfSpeechToFirstAnswerMilliseconds = firstAnswerSample.timeIntervalSince(speechEnd) * 1000
            }
            return timings
        }
    }

    /// When the first answer sample went to the speaker.
    public var firstAnswerSampleTime: Date? { locked { firstAnswerSample } }

    /// Waits until writing and speaking have ended; false on timeout.
    public func waitUntilDone(timeoutSeconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
        condition.lock()
        defer { condition.unlock() }
        while writing || speaking {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }

    /// Waits until committed or cancelled; true when committed.
    func waitUntilCommitted() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !committed && !cancellation.isCancelled {
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.05))
        }
        return committed && !cancellation.isCancelled
    }

    func updateTimings(_ body: (inout PipelineTimings) -> Void) { locked { body(&timingsStorage) } }

    func markFirstAnswerSample() { locked { if firstAnswerSample == nil { firstAnswerSample = Date() } } }

    func finishWriting(_ answer: WrittenAnswer?, error: Error?) {
        condition.lock()
        writtenAnswer = answer
        failure = error
        writing = false
        condition.unlock()
        condition.broadcast()
    }

    func finishSpeaking() {
        condition.lock()
        speaking = false
        condition.unlock()
        condition.broadcast()
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }
}
