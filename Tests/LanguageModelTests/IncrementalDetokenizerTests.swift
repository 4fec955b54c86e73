import Foundation
import GGUF
import Testing

@testable import LanguageModel

@Suite struct IncrementalDetokenizerTests {
    /// A byte-level vocabulary of the 256 single bytes only, so every multi-byte character takes several tokens.
    static let bytesOnly: BPETokenizer = {
        let tokens = ByteLevelEncoding.utf8ForByte
        return try! BPETokenizer(vocabulary: TokenVocabulary(tokens: tokens), merges: [], preTokenizer: .gpt2)
    }()

    @Test func piecesNeverSplitACharacterWhenEveryTokenIsOneByte() {
        let text = "café 👋🏽 आसमान नीला 🇰🇪!"
        var detokenizer = IncrementalDetokenizer(tokenizer: Self.bytesOnly)
        var pieces = [String]()
        for token in Self.bytesOnly.encode(text) {
            let piece = detokenizer.append(token)
            if !piece.isEmpty { pieces.append(piece) }
        }
        pieces.append(detokenizer.finish())
        #expect(pieces.joined() == text)
        #expect(!pieces.contains { $0.contains("\u{FFFD}") })
        // Each scalar arrives whole: 4-byte emoji come out as one piece, not four.
        #expect(pieces.contains("👋"))
        #expect(pieces.contains("🏽"))
    }

    @Test func aCharacterCutShortComesOutAsOneReplacementAtTheEnd() {
        var detokenizer = IncrementalDetokenizer(tokenizer: Self.bytesOnly)
        // The first two bytes of "👋" (F0 9F 91 8B) and nothing more.
        let tokens = Self.bytesOnly.encode("a👋").dropLast(2)
        var text = ""
        for token in tokens { text += detokenizer.append(token) }
        #expect(text == "a")
        #expect(detokenizer.finish() == "\u{FFFD}")
        #expect(detokenizer.finish() == "")
    }

    @Test func resetDropsAHalfCharacter() {
        var detokenizer = IncrementalDetokenizer(tokenizer: Self.bytesOnly)
        for token in Self.bytesOnly.encode("é").dropLast() { _ = detokenizer.append(token) }
        detokenizer.reset()
        var output = [String]()
        for token in Self.bytesOnly.encode("ok") { detokenizer.process(token, into: &output) }
        detokenizer.flush(into: &output)
        #expect(output == ["o", "k"])
    }

    @Test(.enabled(if: TestModels.hasSmolLM2, "needs the SmolLM2 model in the cache (run the model fetch step)"))
    func smolLM2EmojiAndHindiTokensFedOneByOneGiveWholeCharactersOnly() throws {
        let tokenizer = try Tokenizer(file: GGUFFile(path: TestModels.smolLM2Path))
        for text in ["👋🏽 Hello 🌍🚀✨", "आसमान नीला क्यों है", "آسمان نیلا کیوں ہے؟", "👨‍👩‍👧 family, 🇰🇪 flag"] {
            let tokens = tokenizer.encode(text)
            var detokenizer = IncrementalDetokenizer(tokenizer: tokenizer)
            var pieces = [String]()
            var heldBack = 0
            for token in tokens {
                let piece = detokenizer.append(token)
                if piece.isEmpty { heldBack += 1 } else { pieces.append(piece) }
            }
            let rest = detokenizer.finish()
            #expect(rest.isEmpty)
            #expect(pieces.joined() == text)
            #expect(!pieces.joined().contains("\u{FFFD}"))
            // A single token's piece may end inside a character; the detokenizer must have held some back.
            let brokenAlone = tokens.filter { String(validating: tokenizer.piece(of: $0), as: UTF8.self) == nil }
            #expect(brokenAlone.isEmpty || heldBack > 0, "\(text.debugDescription)")
        }
    }
}
