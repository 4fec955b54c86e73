import Foundation
import Testing

@testable import GGUF

/// Every refusal names the file; these files are built field by field to break one rule each.
@Suite struct GGUFValidationTests {
    let path = "Models/cache/broken.gguf"

    func load(_ bytes: GGUFBytes) throws -> GGUFFile {
        try GGUFFile(bytes: bytes.data, path: path)
    }

    /// A file with one metadata pair and the given tensor table entries, followed by `dataBytes` zero bytes.
    func file(tensors: [(String, [UInt64], UInt32, UInt64)], dataBytes: Int, alignment: UInt32? = nil) -> GGUFBytes {
        var bytes = GGUFBytes()
        bytes.header(tensors: UInt64(tensors.count), metadata: alignment == nil ? 1 : 2)
        bytes.string("general.architecture")
        bytes.u32(GGUFValueType.string.rawValue)
        bytes.string("llama")
        if let alignment {
            bytes.string("general.alignment")
            bytes.u32(GGUFValueType.uint32.rawValue)
            bytes.u32(alignment)
        }
        for (name, shape, type, offset) in tensors {
            bytes.tensorInfo(name, shape: shape, type: type, offset: offset)
        }
        bytes.pad(to: 32)
        bytes.zeros(dataBytes)
        return bytes
    }

    @Test func acceptsAHandBuiltFileWithTwoTensors() throws {
        let gguf = try load(file(tensors: [("a", [8], 0, 0), ("b", [32, 2], 8, 32)], dataBytes: 32 + 68))
        #expect(gguf.tensorInfos.map(\.byteCount) == [32, 68])
        #expect(gguf.architecture == "llama")
    }

    @Test func rejectsAFileThatIsNotGGUFShowingTheBytesFound() {
        var bytes = GGUFBytes()
        bytes.data.append(contentsOf: Array("ggjt".utf8))
        bytes.zeros(20)
        #expect(throws: GGUFError.notGGUF(path: path, foundMagic: [0x67, 0x67, 0x6A, 0x74])) { try load(bytes) }
    }

    @Test func rejectsVersionOneWithAMessageSayingWhatToDo() {
        var bytes = GGUFBytes()
        bytes.header(version: 1, tensors: 0, metadata: 0)
        do {
            _ = try load(bytes)
            Issue.record("version 1 was accepted")
        } catch {
            #expect(error as? GGUFError == .unsupportedVersion(path: path, found: 1))
            #expect(
                "\(error)".hasPrefix(
                    "\(path): is GGUF version 1 (the 2023 pre-release layout), expected version 2 or 3"))
        }
    }

    @Test func rejectsBigEndianAndFutureVersions() {
        var bigEndian = GGUFBytes()
        bigEndian.header(version: UInt32(3).byteSwapped, tensors: 0, metadata: 0)
        #expect(throws: GGUFError.unsupportedVersion(path: path, found: 0x0300_0000)) { try load(bigEndian) }
        var future = GGUFBytes()
        future.header(version: 4, tensors: 0, metadata: 0)
        #expect(throws: GGUFError.unsupportedVersion(path: path, found: 4)) { try load(future) }
    }

    @Test func rejectsATruncatedHeaderWithThePathInTheMessage() {
        var bytes = GGUFBytes()
        bytes.header(tensors: 0, metadata: 0)
        bytes.data.removeLast(3)
        do {
            _ = try load(bytes)
            Issue.record("a truncated header was accepted")
        } catch {
            let expected =
                "ends while reading the metadata count: 8 bytes needed at offset 16, but the file has 21 bytes"
            #expect("\(error)" == "\(path): \(expected)")
        }
        #expect(throws: GGUFError.self) { try GGUFFile(bytes: Data(), path: path) }
    }

    @Test func rejectsCountsTheRestOfTheFileCannotHoldBeforeAllocating() {
        var bytes = GGUFBytes()
        bytes.header(tensors: UInt64.max, metadata: 0)
        #expect(throws: GGUFError.implausibleCount(path: path, what: "the tensor count", count: .max, limit: 0)) {
            try load(bytes)
        }
        var array = GGUFBytes()
        array.header(tensors: 0, metadata: 1)
        array.string("tokenizer.ggml.tokens")
        array.u32(GGUFValueType.array.rawValue)
        array.u32(GGUFValueType.string.rawValue)
        array.u64(1 << 40)
        array.zeros(80)
        #expect(
            throws: GGUFError.implausibleCount(
                path: path, what: "the element count of metadata 'tokenizer.ggml.tokens'", count: 1 << 40, limit: 10)
        ) { try load(array) }
    }

    @Test func rejectsAStringLongerThanTheRestOfTheFile() {
        var bytes = GGUFBytes()
        bytes.header(tensors: 0, metadata: 1)
        bytes.u64(1_000)
        bytes.data.append(contentsOf: Array("general".utf8))
        #expect(
            throws: GGUFError.truncated(
                path: path, reading: "the key of metadata entry 0", offset: 32, needed: 1_000, fileSize: 39)
        ) { try load(bytes) }
    }

    @Test func rejectsUnknownValueTypesBadBooleansAndDuplicateKeys() {
        var unknown = GGUFBytes()
        unknown.header(tensors: 0, metadata: 1)
        unknown.string("k")
        unknown.u32(13)
        unknown.u64(0)
        #expect(throws: GGUFError.unknownValueType(path: path, key: "k", rawType: 13)) { try load(unknown) }

        var badBool = GGUFBytes()
        badBool.header(tensors: 0, metadata: 1)
        badBool.string("k")
        badBool.u32(GGUFValueType.bool.rawValue)
        badBool.u8(2)
        #expect(throws: GGUFError.invalidBool(path: path, key: "k", byte: 2)) { try load(badBool) }

        var duplicate = GGUFBytes()
        duplicate.header(tensors: 0, metadata: 2)
        for _ in 0..<2 {
            duplicate.string("k")
            duplicate.u32(GGUFValueType.uint8.rawValue)
            duplicate.u8(1)
        }
        #expect(throws: GGUFError.duplicateKey(path: path, key: "k")) { try load(duplicate) }
    }

    @Test func rejectsArraysNestedDeeperThanTheLimit() {
        var bytes = GGUFBytes()
        bytes.header(tensors: 0, metadata: 1)
        bytes.string("k")
        bytes.u32(GGUFValueType.array.rawValue)
        for _ in 0..<50 {
            bytes.u32(GGUFValueType.array.rawValue)
            bytes.u64(1)
        }
        bytes.zeros(16)
        #expect(throws: GGUFError.arrayNestingTooDeep(path: path, key: "k", limit: GGUFParser.maximumArrayDepth)) {
            try load(bytes)
        }
    }

    @Test func rejectsAnAlignmentThatIsNotAPowerOfTwo() {
        #expect(throws: GGUFError.invalidAlignment(path: path, found: "48 (uint32)")) {
            try load(file(tensors: [], dataBytes: 0, alignment: 48))
        }
        #expect(throws: GGUFError.invalidAlignment(path: path, found: "0 (uint32)")) {
            try load(file(tensors: [], dataBytes: 0, alignment: 0))
        }
    }

    @Test func rejectsUnknownTensorTypes() {
        #expect(throws: GGUFError.unknownTensorType(path: path, tensor: "a", rawType: 4)) {
            try load(file(tensors: [("a", [32], 4, 0)], dataBytes: 32))
        }
    }

    @Test func rejectsZeroDimensionsTooManyDimensionsAndPartialBlocks() {
        #expect(
            throws: GGUFError.invalidTensorShape(
                path: path, tensor: "a", shape: [4, 0], problem: .nonPositiveDimension(0))
        ) { try load(file(tensors: [("a", [4, 0], 0, 0)], dataBytes: 32)) }
        #expect(
            throws: GGUFError.invalidTensorShape(path: path, tensor: "a", shape: [], problem: .tooManyDimensions(5))
        ) { try load(file(tensors: [("a", [1, 1, 1, 1, 1], 0, 0)], dataBytes: 32)) }
        #expect(
            throws: GGUFError.invalidTensorShape(
                path: path, tensor: "a", shape: [48, 2], problem: .rowNotMultipleOfBlock(rowLength: 48, blockSize: 32))
        ) { try load(file(tensors: [("a", [48, 2], 3, 0)], dataBytes: 64)) }
    }

    @Test func rejectsDimensionsWhoseProductOverflows() {
        #expect(
            throws: GGUFError.invalidTensorShape(
                path: path, tensor: "a", shape: [1 << 32, 1 << 32], problem: .elementCountOverflows)
        ) { try load(file(tensors: [("a", [1 << 32, 1 << 32], 0, 0)], dataBytes: 32)) }
        #expect(
            throws: GGUFError.invalidTensorShape(
                path: path, tensor: "a", shape: [.max], problem: .elementCountOverflows)
        ) { try load(file(tensors: [("a", [.max], 0, 0)], dataBytes: 32)) }
    }

    @Test func rejectsMisalignedOffsets() {
        #expect(throws: GGUFError.misalignedTensor(path: path, tensor: "a", offset: 4, alignment: 32)) {
            try load(file(tensors: [("a", [1], 0, 4)], dataBytes: 64))
        }
    }

    @Test func rejectsTensorsThatRunPastTheEndOfTheFile() throws {
        let bytes = file(tensors: [("a", [8], 0, 0), ("b", [16], 0, 32)], dataBytes: 32 + 63)
        let dataOffset = bytes.data.count - 95
        #expect(
            throws: GGUFError.tensorOutsideFile(
                path: path, tensor: "b", start: UInt64(dataOffset + 32), byteCount: 64, fileSize: bytes.data.count)
        ) { try load(bytes) }
        let huge = file(tensors: [("a", [8], 0, UInt64.max - 31)], dataBytes: 32)
        #expect(throws: GGUFError.self) { try load(huge) }
    }

    @Test func rejectsOverlappingTensorsAndDuplicateNames() {
        #expect(throws: GGUFError.overlappingTensors(path: path, first: "a", second: "b")) {
            try load(file(tensors: [("a", [16], 0, 0), ("b", [8], 0, 32)], dataBytes: 96))
        }
        #expect(throws: GGUFError.duplicateTensor(path: path, tensor: "a")) {
            try load(file(tensors: [("a", [8], 0, 0), ("a", [8], 0, 32)], dataBytes: 64))
        }
    }

    @Test func everyErrorMessageStartsWithThePath() {
        let errors: [GGUFError] = [
            .cannotOpen(path: path, reason: "r"), .notGGUF(path: path, foundMagic: [0, 1, 2, 3]),
            .unsupportedVersion(path: path, found: 1), .unsupportedVersion(path: path, found: 0x0200_0000),
            .unsupportedVersion(path: path, found: 9),
            .truncated(path: path, reading: "r", offset: 1, needed: 2, fileSize: 3),
            .implausibleCount(path: path, what: "w", count: .max, limit: 1),
            .unknownValueType(path: path, key: "k", rawType: 99), .invalidBool(path: path, key: "k", byte: 7),
            .arrayNestingTooDeep(path: path, key: "k", limit: 8), .duplicateKey(path: path, key: "k"),
            .invalidAlignment(path: path, found: "3"), .duplicateTensor(path: path, tensor: "t"),
            .unknownTensorType(path: path, tensor: "t", rawType: 99),
            .invalidTensorShape(path: path, tensor: "t", shape: [0], problem: .nonPositiveDimension(0)),
            .misalignedTensor(path: path, tensor: "t", offset: 3, alignment: 32),
            .tensorOutsideFile(path: path, tensor: "t", start: .max, byteCount: .max, fileSize: 1),
            .overlappingTensors(path: path, first: "a", second: "b"), .missingTensor(path: path, tensor: "t"),
            .tensorShapeMismatch(path: path, tensor: "t", expected: [1], found: [2]),
            .missingMetadata(path: path, key: "k"),
            .metadataTypeMismatch(path: path, key: "k", expected: "e", found: "f"),
            .invalidInput(path: path, reason: "r"), .writeFailed(path: path, reason: "r"),
        ]
        for error in errors {
            #expect(error.path == path)
            #expect(error.description.hasPrefix(path + ": "), "\(error)")
        }
    }

    @Test func refusesToOpenADirectory() throws {
        let folder = try TemporaryFolder()
        #expect(throws: GGUFError.cannotOpen(path: folder.url.path, reason: "not a regular file")) {
            try GGUFFile(path: folder.url.path)
        }
    }

    @Test func refusesToOpenAMissingFileNamingIt() {
        do {
            _ = try GGUFFile(path: "/nonexistent/model.gguf")
            Issue.record("a missing file opened")
        } catch {
            #expect("\(error)" == "/nonexistent/model.gguf: cannot open: No such file or directory")
        }
    }
}
