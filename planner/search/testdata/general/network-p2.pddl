; Optimal: 3 steps: a derived atom of arity 0 as the goal (every node
; reached); t is reached only through a, and b only from src.
(define (problem network-p2) (:domain network)
  (:objects a b t - node)
  (:init (edge src a) (edge a t) (edge src b) (edge t src))
  (:goal (connected)))
