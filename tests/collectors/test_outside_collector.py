"""A collector written outside the project runs the Collector suite, as its author would run it:
a subclass of the suite that ships with the service, saying how to make the collector."""

from src.testing.collector_contract import CollectorContract
from tests.collectors.outside_collector import CrmCollector


class TestCrmCollector(CollectorContract):
    def make_collector(self, folder):
        collector = CrmCollector(self.hooks(folder))
        collector.page_delay_s = 0  # the suite needs no time to pass between pages
        return collector
