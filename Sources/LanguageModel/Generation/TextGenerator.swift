import Foundation
import GGUF
import Kernels
import Synchronization

/// What one generation may do: how many tokens, how they are drawn, where it stops.
public struct GenerationOptions: Sendable, Equatable {
    /// The most tokens to generate.
    public var maximumTokens = 256
    /// How each token is chosen (greedy by default).
    public var sampling = SamplingOptions.greedy
    /// Text that ends the generation when it appears; it is not part of the result.
    public var stopStrings: [String] = []

    /// Options with the given values; every parameter has the documented default.
    public init(maximumTokens: Int = 256, sampling: SamplingOptions = .greedy, stopStrings: [String] = []) {
        self.maximumTokens = maximumTokens
        self.sampling = sampling
        self.stopStrings = stopStrings
    }
}

/// Why a generation ended.
public enum GenerationStop: String, Sendable, Equatable {
    /// The model emitted an end-of-turn or end-of-text token.
    case endOfText
    /// A stop string appeared.
    case stopString
    /// `maximumTokens` were generated.
    case maximumTokens
    /// The caller cancelled (the child interrupted).
    case cancelled
    /// The context is full.
    case contextFull
}

/// The outcome of one generation, with the figures `--timings` prints.
public struct GenerationResult: Sendable, Equatable {
    /// The generated text, without the stop string or end-of-turn markup.
    public var text: String
    /// The generated tokens.
    public var tokens: [TokenID]
    /// Why it ended.
    public var stop: GenerationStop
    /// Prompt tokens evaluated now (after the reused prefix).
    public var promptTokensEvaluated: Int
    /// Prompt tokens whose keys and values were already cached (the system prompt's prefix).
    public var promptTokensReused: Int
    /// From the call to the first token chosen, milliseconds.
    public var timeToFirstTokenMilliseconds: Double
    /// Decoding speed after the first token, tokens per second.
    public var decodeTokensPerSecond: Double
}

/// A cancellation flag the caller raises from any thread; the generation checks it before every token.
public final class GenerationCancellation: Sendable {
    private let raised = Atomic<Bool>(false)
    /// A flag not yet raised.
    public init() {}
    /// Stops the generation before its next token.
    public func cancel() { raised.store(true, ordering: .relaxed) }
    /// Whether `cancel` was called.
    public var isCancelled: Bool { raised.load(ordering: .relaxed) }
}

/// Generates text from a llama-family GGUF model: chat prompts, streaming pieces, a reused prompt prefix.
///
///     let generator = try TextGenerator(path: modelPath)
///     let result = try generator.generate(messages: [.system(tutorPrompt), .user("Why is the sky blue?")]) { piece in
///         print(piece, terminator: "")   // whole UTF-8 characters, as tokens arrive
///     }
///
/// The KV cache persists between calls: the longest common prefix of the new prompt and what is cached (the
/// fixed system prompt) is not computed again. Not thread-safe: one generator per conversation; `cancellation`
/// may be raised from another thread.
public final class TextGenerator {
    /// The model's weights.
    public let model: LlamaModel
    /// The model's tokenizer.
    public let tokenizer: Tokenizer
    /// The chat format, chosen from the GGUF's template (ChatML when it names none).
    public let template: ChatTemplate
    /// The session whose cache is reused between calls.
    public let session: LlamaSession

    /// Opens a GGUF model with its tokenizer and chat template.
    public convenience init(
        path: String, contextLength: Int = 2_048, threadCount: Int = defaultKernelThreadCount
    ) throws {
        try self.init(model: LlamaModel(path: path), contextLength: contextLength, threadCount: threadCount)
    }

    /// A generator over a loaded model.
    public init(model: LlamaModel, contextLength: Int = 2_048, threadCount: Int = defaultKernelThreadCount) throws {
        self.model = model
        tokenizer = try Tokenizer(file: model.file)
        template = ChatTemplate(file: model.file) ?? ChatTemplate(family: .chatML)
        session = model.makeSession(contextLength: contextLength, threadCount: threadCount)
    }

    /// Renders `messages` with the chat template and generates the assistant's reply.
    @discardableResult
    public func generate(
        messages: [ChatMessage], options: GenerationOptions = GenerationOptions(),
        cancellation: GenerationCancellation? = nil, onPiece: (String) -> Void = { _ in }
    ) throws -> GenerationResult {
        let prompt = template.render(messages, addGenerationPrompt: true)
        let tokens = tokenizer.encode(prompt, addSpecial: false, parseSpecial: true)
        return try generate(promptTokens: tokens, options: options, cancellation: cancellation, onPiece: onPiece)
    }

    /// Continues plain text (no chat template).
    @discardableResult
    public func generate(
        text: String, options: GenerationOptions = GenerationOptions(), cancellation: GenerationCancellation? = nil,
        onPiece: (String) -> Void = { _ in }
    ) throws -> GenerationResult {
        try generate(
            promptTokens: tokenizer.encode(text, addSpecial: true, parseSpecial: false), options: options,
            cancellation: cancellation, onPiece: onPiece)
    }

    /// The loop: reuse the cached prefix, evaluate the rest of the prompt, then sample, stream and stop.
    public func generate(
        promptTokens: [TokenID], options: GenerationOptions, cancellation: GenerationCancellation? = nil,
        onPiece: (String) -> Void = { _ in }
    ) throws -> GenerationResult {
        let start = Date()
        let prompt = promptTokens.map(Int.init)
        // Keep at least the last prompt token to evaluate: its logits choose the first new token.
        var reused = 0
        while reused < min(session.tokens.count, prompt.count - 1) && session.tokens[reused] == prompt[reused] {
            reused += 1
        }
        session.truncate(to: reused)
        var logits = try session.evaluate(Array(prompt[reused...]))

        var sampler = Sampler(options: options.sampling)
        var detokenizer = IncrementalDetokenizer(tokenizer: tokenizer)
        var generated: [TokenID] = []
        var text = ""
        var emitted = 0  // characters of `text` already handed to onPiece
        var stop = GenerationStop.maximumTokens
        var firstTokenTime: Date?
        let holdBack = options.stopStrings.map(\.count).max() ?? 0
        let endTokens = tokenizer.vocabulary.endOfGenerationIDs

        while generated.count < options.maximumTokens {
            if cancellation?.isCancelled == true {
                stop = .cancelled
                break
            }
            let token = TokenID(sampler.sample(logits, history: session.tokens))
            if firstTokenTime == nil { firstTokenTime = Date() }
            if endTokens.contains(token) {
                stop = .endOfText
                break
            }
            generated.append(token)
            text += detokenizer.append(token)
            if let range = options.stopStrings.lazy.compactMap({ text.range(of: $0) }).first {
                text = String(text[..<range.lowerBound])
                stop = .stopString
                break
            }
            // Hold back enough characters that a stop string split across tokens is never spoken.
            let safe = max(emitted, text.count - max(0, holdBack - 1))
            if safe > emitted {
                onPiece(String(text.dropFirst(emitted).prefix(safe - emitted)))
                emitted = safe
            }
            guard session.position < session.capacity else {
                stop = .contextFull
                break
            }
            logits = try session.evaluate([Int(token)])
        }
        if stop != .stopString { text += detokenizer.finish() }
        if text.count > emitted { onPiece(String(text.dropFirst(emitted))) }
        let decodeSeconds = firstTokenTime.map { Date().timeIntervalSince($0) } ?? 0
        return GenerationResult(
            text: text, tokens: generated, stop: stop, promptTokensEvaluated: prompt.count - reused,
            promptTokensReused: reused,
            timeToFirstTokenMilliseconds: (firstTokenTime ?? Date()).timeIntervalSince(start) * 1000,
            decodeTokensPerSecond: generated.count > 1 && decodeSeconds > 0
                ? Double(generated.count - 1) / decodeSeconds : 0)
    }
}
