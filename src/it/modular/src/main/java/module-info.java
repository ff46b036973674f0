/** An application module that embeds the service. */
module example.modular {
  requires io.daemonverticle;
  exports example.modular;
}
