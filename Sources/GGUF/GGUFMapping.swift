import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of one GGUF file: a read-only memory mapping (or, for tests, an owned copy).
///
/// Tensors and metadata arrays hold a reference to it, so the mapping lives as long as anything points into it.
/// It is never written after creation, which is what makes sharing it across threads safe.
final class GGUFMapping: @unchecked Sendable {
    /// The first byte; nil only when the file is empty.
    let base: UnsafeRawPointer?
    /// The number of bytes mapped (the file's size).
    let count: Int
    private let isMapped: Bool

    /// Maps `path` read-only; the file's pages are read lazily by the kernel, never copied here.
    init(mappingFileAt path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            throw GGUFError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) != 0 {
            throw GGUFError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        if (status.st_mode & S_IFMT) != S_IFREG {
            throw GGUFError.cannotOpen(path: path, reason: "not a regular file")
        }
        let size = Int(status.st_size)
        if size == 0 {
            base = nil
            count = 0
            isMapped = false
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        if address == MAP_FAILED || address == nil {
            throw GGUFError.cannotOpen(path: path, reason: "mmap failed: " + String(cString: strerror(errno)))
        }
        base = UnsafeRawPointer(address)
        count = size
        isMapped = true
    }

    /// Copies `data` into memory this object owns (tests and in-memory fuzzing).
    init(copying data: Data) {
        count = data.count
        isMapped = false
        if data.isEmpty {
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

    /// The bytes `offset..<offset + byteCount`; the caller has checked they are inside the file.
    func buffer(offset: Int, byteCount: Int) -> UnsafeRawBufferPointer {
        guard let base, byteCount > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + offset, count: byteCount)
    }

    /// The bytes `offset..<offset + byteCount` as Data that keeps this mapping alive, without copying.
    func data(offset: Int, byteCount: Int) -> Data {
        guard let base, byteCount > 0 else { return Data() }
        return Data(
            bytesNoCopy: UnsafeMutableRawPointer(mutating: base + offset),
            count: byteCount,
            deallocator: .custom { _, _ in withExtendedLifetime(self) {} }
        )
    }

    /// Loads a little-endian integer at `offset`; the caller has checked the bytes are inside the file.
    @inline(__always)
    func load<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        guard let base else { return 0 }
        return T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
