import CaseLineClient
import Foundation

/// `--askpass PROGRAM`: the password comes from a program (a desktop prompt, a password manager's CLI), the
/// way ssh uses SSH_ASKPASS. It is read through a pipe, never a file, and never appears in argv.
enum Askpass {
    static func ask(_ program: String, prompt: String) throws -> String {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            throw ClientFailure.authentication(
                tr("cannot run \(program): no pipe", vi: "không chạy được \(program): không tạo được ống"))
        }
        // Close-on-exec, so that only the program's standard output (a dup2 copy) holds the write end.
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let child: ChildProcess
        do {
            child = try ChildProcess(program, [prompt], standardInput: .inherit, standardOutput: .descriptor(ends[1]))
        } catch {
            close(ends[0])
            close(ends[1])
            throw ClientFailure.authentication("\(error)")
        }
        close(ends[1])
        let output = FileHandle(fileDescriptor: ends[0], closeOnDealloc: true).readDataToEndOfFile()
        var status: Int32?
        while status == nil {
            status = child.exitStatus
            if status == nil { usleep(10_000) }
        }
        guard status == 0 else {
            throw ClientFailure.authentication(
                tr(
                    "\(program) exited with status \(status!): no password",
                    vi: "\(program) kết thúc với mã \(status!): không có mật khẩu"))
        }
        let password = String(decoding: output, as: UTF8.self).split(separator: "\n", maxSplits: 1).first.map(
            String.init)
        guard let password, !password.isEmpty else {
            throw ClientFailure.authentication(
                tr("\(program) printed no password", vi: "\(program) không in ra mật khẩu"))
        }
        return password
    }
}
