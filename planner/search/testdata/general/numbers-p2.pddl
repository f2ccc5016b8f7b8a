; The empty goal: the empty plan.
(define (problem numbers-p2) (:domain numbers)
 (:objects 0 - num)
 (:init (cur 0))
 (:goal (and)))
