"""Writes one message per compression codec Kafka knows, with Confluent's Python client (librdkafka), the way
another team's producer would: `produce_with_codecs.py <brokers> <topic>`, the message text on stdin, where
CODEC is replaced by the codec's name. Prints the codecs it wrote, one per line."""
import sys

from confluent_kafka import Producer

CODECS = ["none", "gzip", "snappy", "lz4", "zstd"]


def main(brokers: str, topic: str) -> None:
    template = sys.stdin.read()
    for codec in CODECS:
        producer = Producer({"bootstrap.servers": brokers, "compression.type": codec, "linger.ms": 0})
        producer.produce(topic, key=f"cam-{codec}".encode(), value=template.replace("CODEC", codec).encode())
        if producer.flush(15) != 0:
            sys.exit(f"the {codec} message was not delivered")
        print(codec)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
