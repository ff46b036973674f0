module example.sealed {
  requires io.daemonverticle;
}
