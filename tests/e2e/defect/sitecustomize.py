"""A defect, deployed on purpose by the fault suite: a matching process started with this folder
on PYTHONPATH cannot match a demand whose items mention "poison" (its reaction raises). Restarting
matching without it is the fix. Python imports ``sitecustomize`` at start; the patch is applied
when matching's application module is first imported, so nothing else is touched."""
import importlib.abc
import importlib.machinery
import sys

TARGET = "services.matching.application"


def _defective(on_demand_accepted):
    def react(self, message, data, processing):
        if any("poison" in item for item in data["items"]):
            raise RuntimeError("matching cannot read this demand's items (deployed defect)")
        return on_demand_accepted(self, message, data, processing)
    return react


class _Defect(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name != TARGET:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        self._loader, spec.loader = spec.loader, self
        return spec

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        self._loader.exec_module(module)
        module.Matching._on_demand_accepted = _defective(module.Matching._on_demand_accepted)


sys.meta_path.insert(0, _Defect())
