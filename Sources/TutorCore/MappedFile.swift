import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of one model file: a read-only memory mapping (or, for tests, an owned copy).
///
/// Model readers (GGUF, CTranslate2) keep one and hand out views into it; anything that points into the bytes holds
/// a reference, so the mapping lives as long as it is used. It is never written after creation, which is what makes
/// sharing it across threads safe. Readers check offsets against `count` before reading: the accessors do not.
public final class MappedFile: @unchecked Sendable {
    /// The first byte; nil only when the file is empty.
    public let base: UnsafeRawPointer?
    /// The number of bytes (the file's size).
    public let count: Int
    private let isMapped: Bool

    /// Maps `path` read-only; the kernel reads pages lazily, nothing is copied. Throws the reason as text.
    public init(mappingFileAt path: String) throws(MappedFileError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw MappedFileError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) != 0 {
            throw MappedFileError(path: path, reason: String(cString: strerror(errno)))
        }
        if (status.st_mode & S_IFMT) != S_IFREG { throw MappedFileError(path: path, reason: "not a regular file") }
        let size = Int(status.st_size)
        guard size > 0 else {
            base = nil
            count = 0
            isMapped = false
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        if address == MAP_FAILED || address == nil {
            throw MappedFileError(path: path, reason: "mmap failed: " + String(cString: strerror(errno)))
        }
        base = UnsafeRawPointer(address)
        count = size
        isMapped = true
    }

    /// Copies `data` into memory this object owns (tests, hand-made files, in-memory fuzzing).
    public init(copying data: Data) {
        count = data.count
        isMapped = false
        guard !data.isEmpty else {
            base = nil
            return
        }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: data.count, alignment: 64)
        data.withUnsafeBytes { source in
            if let address = source.baseAddress { buffer.copyMemory(from: address, byteCount: source.count) }
        }
        base = UnsafeRawPointer(buffer)
    }

    deinit {
        guard let base else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            base.deallocate()
        }
    }

    /// The bytes `offset..<offset + byteCount`, valid while this object lives.
    public func buffer(offset: Int, byteCount: Int) -> UnsafeRawBufferPointer {
        guard let base, byteCount > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + offset, count: byteCount)
    }

    /// The bytes `offset..<offset + byteCount` as Data that keeps this mapping alive, without copying.
    public func data(offset: Int, byteCount: Int) -> Data {
        guard let base, byteCount > 0 else { return Data() }
        return Data(
            bytesNoCopy: UnsafeMutableRawPointer(mutating: base + offset), count: byteCount,
            deallocator: .custom { _, _ in withExtendedLifetime(self) {} })
    }

    /// The little-endian integer at `offset`.
    @inline(__always)
    public func load<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        guard let base else { return 0 }
        return T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

/// Why a file could not be mapped; readers turn it into their own error naming the file.
public struct MappedFileError: Error, Equatable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// The system's reason.
    public var reason: String
    public var description: String { "\(path): cannot open: \(reason)" }
}
