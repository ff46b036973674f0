// The build failed for the reason it must: the library's module does not export its impl
// packages (not, say, a missing artifact or a typo in the consumer).
def log = new File(basedir, 'build.log').text
assert log.contains('package io.daemonverticle.impl.bus is not visible'): 'the compiler did not refuse the impl import'
assert log.contains('declared in module io.daemonverticle, which does not export it'): 'not refused for the export'
return true
