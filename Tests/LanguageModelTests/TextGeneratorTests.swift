import Foundation
import Testing

@testable import LanguageModel

/// Streaming generation on the real SmolLM2: prefix reuse, stop strings, cancellation within one token.
@Suite(.enabled(if: TestModels.hasSmolLM2, "needs the SmolLM2 model in the cache (run the model fetch step)"))
struct TextGeneratorTests {
    /// Opening is cheap (the weights are mapped, not read); each test gets its own generator (not thread-safe).
    func makeGenerator() throws -> TextGenerator { try TextGenerator(path: TestModels.smolLM2Path, contextLength: 512) }
    let system = ChatMessage.system("You are a physics tutor for children. Answer in two short, correct sentences.")

    @Test func streamedPiecesJoinToTheTextAndTheSecondQuestionReusesTheSystemPrompt() throws {
        let generator = try makeGenerator()
        var pieces: [String] = []
        let first = try generator.generate(
            messages: [system, .user("What is gravity?")], options: GenerationOptions(maximumTokens: 6)
        ) { pieces.append($0) }
        #expect(pieces.joined() == first.text)
        #expect(first.tokens.count == 6 && first.stop == .maximumTokens)
        #expect(first.text.lowercased().contains("gravity"))

        let second = try generator.generate(
            messages: [system, .user("Why is the sky blue?")], options: GenerationOptions(maximumTokens: 2))
        let systemTokens = generator.tokenizer.encode(
            generator.template.render([system], addGenerationPrompt: false), addSpecial: false, parseSpecial: true)
        #expect(second.promptTokensReused >= systemTokens.count)
        #expect(second.promptTokensEvaluated < first.promptTokensEvaluated + first.promptTokensReused)
    }

    @Test func aStopStringEndsTheAnswerAndIsNeverStreamed() throws {
        let generator = try makeGenerator()
        var streamed = ""
        let result = try generator.generate(
            messages: [system, .user("What is gravity?")],
            options: GenerationOptions(maximumTokens: 40, stopStrings: [" is"])
        ) { streamed += $0 }
        #expect(result.stop == .stopString)
        #expect(!streamed.contains(" is") && !result.text.contains(" is"))
        #expect(streamed == result.text)
    }

    @Test func cancellingStopsBeforeTheNextToken() throws {
        let generator = try makeGenerator()
        let cancellation = GenerationCancellation()
        let result = try generator.generate(
            messages: [system, .user("Why is the sky blue?")], options: GenerationOptions(maximumTokens: 40),
            cancellation: cancellation
        ) { _ in cancellation.cancel() }
        #expect(result.stop == .cancelled)
        #expect(result.tokens.count <= 2)
    }
}
