import ArgumentParser
import Foundation
import Kernels
import LanguageModel
import TutorCore

/// Options shared by `tutor generate` and `tutor chat`.
struct LanguageModelOptions: ParsableArguments {
    @Option(help: "The GGUF model (default: SmolLM2-135M-Instruct Q4_1 in the cache).")
    var model: String?
    @Option(help: "Tokens to generate at most.")
    var maxTokens = 256
    @Option(help: "Sampling temperature; 0 is greedy.")
    var temperature: Float = 0
    @Option(help: "Keep the k most likely tokens (0: all).")
    var topK = 0
    @Option(help: "Keep the most likely tokens up to this probability mass.")
    var topP: Float = 1
    @Option(help: "Drop tokens less likely than this fraction of the best.")
    var minP: Float = 0
    @Option(help: "Penalty for recently used tokens (1: off).")
    var repetitionPenalty: Float = 1
    @Option(help: "Random seed for sampling.")
    var seed: UInt64 = 0x5EED
    @Option(help: "Stop when this text appears (repeatable).")
    var stop: [String] = []
    @Option(help: "Context length of the session.")
    var context = 2_048
    @Option(help: "Worker threads.")
    var threads = defaultKernelThreadCount

    var modelPath: String {
        model ?? TutorPaths.defaultLanguageModelFile().path
    }

    var generation: GenerationOptions {
        GenerationOptions(
            maximumTokens: maxTokens,
            sampling: SamplingOptions(
                temperature: temperature, topK: topK, topP: topP, minP: minP, repetitionPenalty: repetitionPenalty,
                seed: seed),
            stopStrings: stop)
    }

    func generator() throws -> TextGenerator {
        do {
            return try TextGenerator(path: modelPath, contextLength: context, threadCount: threads)
        } catch {
            throw UserFacingError("\(error)")
        }
    }
}

/// `tutor generate`: one completion, streamed to standard output.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Generate text from a prompt with the language model, streamed.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: LanguageModelOptions

    @Option(help: "The prompt: the user's message, or plain text to continue with --raw.")
    var prompt: String
    @Option(help: "A system message (chat mode).")
    var system: String?
    @Flag(help: "Continue the prompt as plain text instead of a chat turn.")
    var raw = false
    @Flag(help: "Print timings to standard error.")
    var timings = false

    func run() throws {
        global.bootstrapLogging()
        let generator = try options.generator()
        let onPiece: (String) -> Void = { piece in
            FileHandle.standardOutput.write(Data(piece.utf8))
        }
        let result: GenerationResult
        if raw {
            result = try generator.generate(text: prompt, options: options.generation, onPiece: onPiece)
        } else {
            var messages: [ChatMessage] = []
            if let system { messages.append(.system(system)) }
            messages.append(.user(prompt))
            result = try generator.generate(messages: messages, options: options.generation, onPiece: onPiece)
        }
        print("")
        if timings {
            printError(
                String(
                    format: "%d prompt tokens, first token %.0f ms, %d tokens at %.1f tokens/s, stopped: %@",
                    result.promptTokensEvaluated, result.timeToFirstTokenMilliseconds, result.tokens.count,
                    result.decodeTokensPerSecond, result.stop.rawValue))
        }
    }
}

/// `tutor chat`: a conversation on standard input; the system prompt's cache is kept between turns.
struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat", abstract: "Talk with the language model on the terminal (an empty line or EOF ends).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: LanguageModelOptions

    @Option(help: "The system message.")
    var system = "You are a friendly physics tutor for children. Answer in two or three short, correct sentences."

    func run() throws {
        global.bootstrapLogging()
        let generator = try options.generator()
        var messages: [ChatMessage] = [.system(system)]
        while true {
            FileHandle.standardError.write(Data("> ".utf8))
            guard let line = readLine(), !line.trimmingCharacters(in: .whitespaces).isEmpty else { break }
            messages.append(.user(line))
            let result = try generator.generate(messages: messages, options: options.generation) { piece in
                FileHandle.standardOutput.write(Data(piece.utf8))
            }
            print("")
            messages.append(.assistant(result.text))
        }
    }
}
