// Python tarfile helpers for tests that build hostile archives.

/// Helpers for tar members, prepended to every attack script.
package let tarHelpers = """
import io, os, sys, tarfile
def reg(tf, name, data=b"evil\\n"):
    ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = 0o644
    tf.addfile(ti, io.BytesIO(data))
def sym(tf, name, target):
    ti = tarfile.TarInfo(name); ti.type = tarfile.SYMTYPE; ti.linkname = target; tf.addfile(ti)
def hard(tf, name, target):
    ti = tarfile.TarInfo(name); ti.type = tarfile.LNKTYPE; ti.linkname = target; tf.addfile(ti)
def mkdir(tf, name):
    ti = tarfile.TarInfo(name); ti.type = tarfile.DIRTYPE; ti.mode = 0o755; tf.addfile(ti)

"""
