#!/usr/bin/env bash
# A single-node KRaft Kafka broker for development and CI, from Maven Central jars run with the machine's Java.
# Usage: tools/kafka/kafka.sh start|stop|status|fetch
# Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT+1), KAFKA_DATA_DIR (.tmp/kafka-$KAFKA_PORT),
#              TCR_KAFKA_LIBS (~/.cache/tcr/kafka-<version>/libs), KAFKA_START_TIMEOUT (90 s).
#              Optional SASL_SSL listener (for testing TLS and SASL): KAFKA_SASL_SSL_PORT, KAFKA_TLS_PEM (broker
#              private key + certificate chain, PEM), KAFKA_SASL_USER / KAFKA_SASL_PASSWORD (accepted with PLAIN,
#              SCRAM-SHA-256 and SCRAM-SHA-512; set before the first start, SCRAM users are created at format).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-$((port + 1))}"
data_dir="${KAFKA_DATA_DIR:-$root/.tmp/kafka-$port}"
libs="${TCR_KAFKA_LIBS:-$HOME/.cache/tcr/kafka-$version/libs}"
timeout="${KAFKA_START_TIMEOUT:-90}"
pid_file="$data_dir/kafka.pid"
log_file="$data_dir/kafka.log"
sasl_ssl_port="${KAFKA_SASL_SSL_PORT:-}"

fail() { echo "kafka.sh: $*" >&2; exit 1; }

require_tools() {
  command -v java >/dev/null || fail "java not found: install a Java 17 runtime (Debian: apt-get install openjdk-17-jre-headless)"
  local major
  major="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
  [ "${major:-0}" -ge 11 ] || fail "Kafka $version needs Java 11 or newer, found ${major:-unknown}"
}

fetch_jars() {
  [ -f "$libs/.complete" ] && return
  command -v mvn >/dev/null || fail "mvn not found: install Maven (Debian: apt-get install maven) to fetch the Kafka jars"
  echo "kafka.sh: fetching Apache Kafka $version jars from Maven Central into $libs"
  rm -rf "$libs" && mkdir -p "$libs"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$libs" -DincludeScope=runtime \
    || fail "could not fetch the Kafka jars with Maven (see the error above)"
  touch "$libs/.complete"
}

is_running() {
  [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

write_config() {
  mkdir -p "$data_dir/logs"
  local listeners="PLAINTEXT://127.0.0.1:$port" advertised="PLAINTEXT://127.0.0.1:$port"
  if [ -n "$sasl_ssl_port" ]; then
    listeners="$listeners,SASL_SSL://127.0.0.1:$sasl_ssl_port"
    advertised="$advertised,SASL_SSL://127.0.0.1:$sasl_ssl_port"
  fi
  cat > "$data_dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=$listeners,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=$advertised
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL
log.dirs=$data_dir/logs
auto.create.topics.enable=false
num.partitions=1
# One node: the internal topics must be told so, or transactions hang.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
group.initial.rebalance.delay.ms=0
PROPS
  if [ -n "$sasl_ssl_port" ]; then
    [ -n "${KAFKA_TLS_PEM:-}" ] && [ -n "${KAFKA_SASL_USER:-}" ] && [ -n "${KAFKA_SASL_PASSWORD:-}" ] \
      || fail "KAFKA_SASL_SSL_PORT needs KAFKA_TLS_PEM, KAFKA_SASL_USER and KAFKA_SASL_PASSWORD"
    cat >> "$data_dir/server.properties" <<PROPS
sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
ssl.keystore.type=PEM
ssl.keystore.location=$KAFKA_TLS_PEM
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$KAFKA_SASL_USER="$KAFKA_SASL_PASSWORD";
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
PROPS
  fi
  cat > "$data_dir/log4j.properties" <<PROPS
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$data_dir/server.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
PROPS
}

run_java() {
  java -Xms256m -Xmx768m -XX:+UseG1GC -Dlog4j.configuration="file:$data_dir/log4j.properties" -cp "$libs/*" "$@"
}

start() {
  require_tools
  if is_running; then echo "kafka.sh: broker already running on 127.0.0.1:$port (pid $(cat "$pid_file"))"; return; fi
  fetch_jars
  write_config
  if [ ! -f "$data_dir/logs/meta.properties" ]; then
    local scram=()
    if [ -n "$sasl_ssl_port" ]; then
      for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do scram+=(--add-scram "$mechanism=[name=$KAFKA_SASL_USER,password=$KAFKA_SASL_PASSWORD]"); done
    fi
    run_java kafka.tools.StorageTool format -t "$(run_java kafka.tools.StorageTool random-uuid)" -c "$data_dir/server.properties" "${scram[@]}" >/dev/null \
      || fail "could not format the storage in $data_dir/logs"
  fi
  local started=$SECONDS
  nohup java -Xms256m -Xmx768m -XX:+UseG1GC -Dlog4j.configuration="file:$data_dir/log4j.properties" \
    -cp "$libs/*" kafka.Kafka "$data_dir/server.properties" >"$log_file" 2>&1 &
  echo $! >"$pid_file"
  if ! node "$here/waitForBroker.mjs" "127.0.0.1:$port" "$timeout"; then
    tail -n 30 "$log_file" "$data_dir/server.log" >&2 || true
    stop
    fail "the broker did not answer metadata requests within ${timeout}s (logs: $data_dir)"
  fi
  echo "kafka.sh: broker ready on 127.0.0.1:$port in $((SECONDS - started))s (data: $data_dir, logs: $data_dir/server.log)"
}

stop() {
  if ! is_running; then echo "kafka.sh: no broker running for $data_dir"; rm -f "$pid_file"; return; fi
  local pid
  pid="$(cat "$pid_file")"
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$pid_file"
  echo "kafka.sh: broker on 127.0.0.1:$port stopped"
}

case "${1:-}" in
  start) start ;;
  fetch) require_tools; fetch_jars ;;
  stop) stop ;;
  status) if is_running; then echo "running (pid $(cat "$pid_file"), 127.0.0.1:$port)"; else echo "stopped"; exit 3; fi ;;
  *) fail "usage: kafka.sh start|stop|status|fetch" ;;
esac
