import Foundation
import Testing

@testable import Audio

/// Builds safetensors bytes for tests: tensors in order, data packed, header as given or made from them.
enum SafeTensorsBytes {
    static func make(_ tensors: [(name: String, shape: [Int], values: [Float])], header: String? = nil) -> Data {
        var entries: [String] = []
        var data = Data()
        for tensor in tensors {
            let begin = data.count
            for value in tensor.values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
            let fields = "\"dtype\":\"F32\",\"shape\":\(tensor.shape),\"data_offsets\":[\(begin),\(data.count)]"
            entries.append("\"\(tensor.name)\":{\(fields)}")
        }
        return make(header: header ?? "{" + entries.joined(separator: ",") + "}", data: data)
    }

    static func make(header: String, data: Data) -> Data {
        let json = Data(header.utf8)
        var bytes = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.append(contentsOf: $0) }
        return bytes + json + data
    }
}

@Suite("Reading safetensors")
struct SafeTensorsTests {
    static let path = "/models/x.safetensors"

    static func error(_ bytes: Data) -> SafeTensorsError? {
        do {
            _ = try SafeTensorsFile(bytes: bytes, path: path)
            return nil
        } catch {
            return error as? SafeTensorsError
        }
    }

    @Test func readsTensorsShapesAndValuesInDataOrder() throws {
        let bytes = SafeTensorsBytes.make([("b", [2, 2], [1, 2, 3, 4]), ("a", [1], [-0.5])])
        let file = try SafeTensorsFile(bytes: bytes, path: Self.path)
        #expect(file.entries.map(\.name) == ["b", "a"])
        let b = try file.float32(named: "b")
        #expect(b.shape == [2, 2])
        #expect(b.values == [1, 2, 3, 4])
        #expect(try file.float32(named: "a").values == [-0.5])
    }

    @Test func readsTheMetadataStrings() throws {
        let header =
            "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}"
        let file = try SafeTensorsFile(
            bytes: SafeTensorsBytes.make(header: header, data: Data(count: 4)), path: Self.path)
        #expect(file.metadata == ["format": "pt"])
        #expect(try file.float32(named: "a").values == [0])
    }

    @Test func rejectsAFileShorterThanTheHeaderLengthWithThePathInTheMessage() {
        let error = Self.error(Data([1, 2, 3]))
        #expect(error == .headerOutsideFile(path: Self.path, headerByteCount: 0, fileSize: 3))
        #expect(error?.description.hasPrefix(Self.path + ":") == true)
    }

    @Test func rejectsAHeaderLengthPastTheEndOfTheFile() {
        var bytes = SafeTensorsBytes.make([("a", [1], [1])])
        bytes.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0, 0, 0, 0, 0, 0])
        #expect(
            Self.error(bytes) == .headerOutsideFile(path: Self.path, headerByteCount: 65_535, fileSize: bytes.count))
    }

    @Test(arguments: [
        "[1,2]", "{\"a\":", "{\"a\":3}", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}",
        "{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}",
    ])
    func rejectsAMalformedHeader(header: String) {
        guard case .invalidHeader(let path, _) = Self.error(SafeTensorsBytes.make(header: header, data: Data(count: 4)))
        else {
            Issue.record("expected invalidHeader for \(header)")
            return
        }
        #expect(path == Self.path)
    }

    @Test func rejectsAnUnknownDType() {
        let header = "{\"a\":{\"dtype\":\"F31\",\"shape\":[1],\"data_offsets\":[0,4]}}"
        let error = Self.error(SafeTensorsBytes.make(header: header, data: Data(count: 4)))
        #expect(error == .unknownDType(path: Self.path, tensor: "a", found: "F31"))
        #expect(error?.description.contains("expected one of") == true)
    }

    @Test func rejectsOffsetsThatDoNotHoldTheShape() {
        let header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}"
        #expect(
            Self.error(SafeTensorsBytes.make(header: header, data: Data(count: 4)))
                == .byteCountMismatch(path: Self.path, tensor: "a", expected: 8, found: 4))
    }

    @Test func rejectsATensorRunningPastTheEndOfTheFile() {
        let header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"
        #expect(
            Self.error(SafeTensorsBytes.make(header: header, data: Data(count: 4)))
                == .tensorOutsideFile(path: Self.path, tensor: "a", begin: 0, end: 8, dataByteCount: 4))
    }

    @Test func rejectsOverlappingTensorsAndGaps() {
        let overlap =
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}"
        #expect(
            Self.error(SafeTensorsBytes.make(header: overlap, data: Data(count: 8)))
                == .dataNotContiguous(path: Self.path, tensor: "b", expectedBegin: 8, foundBegin: 4))
        let gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}"
        #expect(
            Self.error(SafeTensorsBytes.make(header: gap, data: Data(count: 8)))
                == .dataNotContiguous(path: Self.path, tensor: "a", expectedBegin: 0, foundBegin: 4))
    }

    @Test func namesTheMissingTensorAndTheWrongDType() throws {
        let header = "{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}"
        let file = try SafeTensorsFile(
            bytes: SafeTensorsBytes.make(header: header, data: Data(count: 4)), path: Self.path)
        #expect(throws: SafeTensorsError.missingTensor(path: Self.path, tensor: "b")) { try file.float32(named: "b") }
        #expect(throws: SafeTensorsError.dtypeMismatch(path: Self.path, tensor: "a", expected: "F32", found: "F16")) {
            try file.float32(named: "a")
        }
    }

    @Test func reportsAMissingFileByPath() {
        #expect(throws: SafeTensorsError.cannotOpen(path: "/nonexistent/x.safetensors", reason: "no such file")) {
            try SafeTensorsFile(path: "/nonexistent/x.safetensors")
        }
    }
}
