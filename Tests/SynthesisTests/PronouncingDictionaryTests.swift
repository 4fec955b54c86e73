import Foundation
import Synthesis
import Testing

/// The compiled CMU dictionary: round trip, and validation of bad files.
@Suite struct PronouncingDictionaryTests {
    let text = """
        # a tiny dictionary
        zebra Z IY1 B R AH0
        apple AE1 P AH0 L
        apple(2) AE1 P L
        photon F OW1 T AA2 N
        """

    @Test func compiledWordsLookUpWithStress() throws {
        let bytes = try PronouncingDictionary.compile(text: text, path: "tiny.dict")
        let dictionary = try PronouncingDictionary(bytes: bytes, path: "tiny.vtlex")
        #expect(dictionary.count == 3)
        #expect(dictionary.lookup("apple").map(formatPhones) == "ˈæ p ə l")
        #expect(dictionary.lookup("photon").map(formatPhones) == "f ˈoʊ t ˌɑ n")
        #expect(dictionary.lookup("zebra").map(formatPhones) == "z ˈi b ɹ ə")
        #expect(dictionary.lookup("banana") == nil)
    }

    @Test func anUnknownPhonemeIsAnErrorWithTheLine() {
        #expect(throws: SynthesisError.invalidLine(path: "bad.dict", line: 2, reason: "unknown ARPAbet phoneme 'QX1'"))
        {
            try PronouncingDictionary.compile(text: "ok OW1 K\nbad B QX1 D\n", path: "bad.dict")
        }
    }

    @Test func aWrongMagicIsRejectedWithThePath() throws {
        var bytes = try PronouncingDictionary.compile(text: text, path: "tiny.dict")
        bytes[0] = UInt8(ascii: "X")
        #expect(
            throws: SynthesisError.invalidBinary(path: "x.vtlex", expected: "magic 'VTCMUDIC'", found: "'XTCMUDIC'")
        ) {
            try PronouncingDictionary(bytes: bytes, path: "x.vtlex")
        }
    }

    @Test func aNewerVersionIsRejected() throws {
        var bytes = try PronouncingDictionary.compile(text: text, path: "tiny.dict")
        bytes[8] = 2
        #expect(throws: SynthesisError.invalidBinary(path: "x.vtlex", expected: "version 1", found: "version 2")) {
            try PronouncingDictionary(bytes: bytes, path: "x.vtlex")
        }
    }

    @Test func aTruncatedFileIsRejected() throws {
        let bytes = try PronouncingDictionary.compile(text: text, path: "tiny.dict")
        #expect(throws: SynthesisError.self) { try PronouncingDictionary(bytes: Array(bytes.dropLast(3)), path: "t") }
        #expect(throws: SynthesisError.self) { try PronouncingDictionary(bytes: Array(bytes.prefix(10)), path: "t") }
    }

    @Test func corruptOffsetsAreRejected() throws {
        var bytes = try PronouncingDictionary.compile(text: text, path: "tiny.dict")
        bytes[24 + 4] = 0xFF  // the second word offset points past the blob
        #expect(throws: SynthesisError.self) { try PronouncingDictionary(bytes: bytes, path: "t") }
    }
}
